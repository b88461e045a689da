package io.sconej.hostcalls;

import java.nio.file.spi.FileSystemProvider;

/**
 * The JVM's built-in platform file system provider, even when sconej has been installed as the
 * default provider. Set once by the wrapping provider at construction; otherwise the default.
 */
public final class PlatformProvider {
  private static volatile FileSystemProvider platform;

  private PlatformProvider() {}

  /** Called by the sconej default provider with the platform provider it wraps. */
  public static void set(FileSystemProvider p) {
    platform = p;
  }

  /** The platform provider. */
  public static FileSystemProvider get() {
    FileSystemProvider p = platform;
    if (p == null) {
      p = java.nio.file.FileSystems.getDefault().provider();
    }
    return p;
  }
}
