package io.sconej.bench.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Drops the Linux page cache (root only) so that a read that follows is served from the disk.
 * Dirty pages of the measured file are already written by its force(); the kernel only drops
 * clean pages.
 */
final class CacheDropper {
  private static final Path DROP = Path.of("/proc/sys/vm/drop_caches");

  private CacheDropper() {}

  /** Returns whether the kernel accepted the request. */
  static boolean drop() {
    try {
      Files.writeString(DROP, "3");
      return true;
    } catch (IOException | SecurityException e) {
      return false;
    }
  }
}
