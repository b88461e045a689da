package io.sconej.runtime;

import io.sconej.ioagent.boot.Route;
import io.sconej.ioagent.boot.Router;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * Routes {@code java.io} file access (FileInputStream, FileOutputStream, RandomAccessFile, File
 * metadata) under a session volume's path prefix to the same path of the default file system,
 * which the sconej default provider serves from the volume. Everything else stays on the host.
 * Longest prefix wins; pure string work, no I/O.
 */
final class VolumeRouter implements Router {
  private final List<String> prefixes;

  VolumeRouter(List<String> volumePaths) {
    this.prefixes = volumePaths.stream()
        .map(p -> p.endsWith("/") && p.length() > 1 ? p.substring(0, p.length() - 1) : p)
        .sorted(Comparator.comparingInt(String::length).reversed()).toList();
  }

  @Override
  public Route route(String absolutePath) {
    for (String p : prefixes) {
      if (absolutePath.equals(p) || absolutePath.startsWith(p + "/") || p.equals("/")) {
        return new Route.To(Path.of(absolutePath));
      }
    }
    return new Route.Host();
  }
}
