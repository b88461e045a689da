package io.sconej.fileshield.nio;

import io.sconej.hostcalls.PlatformProvider;
import java.net.URI;
import java.nio.file.Path;

/** Host paths through the platform provider, bypassing any sconej default provider. */
final class Hosts {
  private Hosts() {}

  /** The platform file system's path with the same string as {@code p}. */
  static Path platformPath(Path p) {
    return platformPath(p.toString());
  }

  static Path platformPath(String p) {
    return PlatformProvider.get().getFileSystem(URI.create("file:///")).getPath(p);
  }
}
