package io.sconej.runtime;

import io.sconej.ioagent.boot.Route;
import io.sconej.ioagent.boot.Router;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * Routes {@code java.io} file access (FileInputStream, FileOutputStream, RandomAccessFile, File
 * metadata) under a session volume's path prefix to the same path of the default file system,
 * which the sconej default provider serves from the volume. Everything else follows the session's
 * default region: it stays on the host ({@code unprotected}), or ({@code refuse}) fails unless it
 * is under one of the exempt paths the JVM itself needs (its Java home, the class path, the
 * kernel's random devices and process information). Longest volume prefix wins; pure string work,
 * no I/O.
 */
final class VolumeRouter implements Router {
  private final List<String> prefixes;
  private final boolean refuse;
  private final List<String> exempt;

  VolumeRouter(List<String> volumePaths) {
    this(volumePaths, false, List.of());
  }

  VolumeRouter(List<String> volumePaths, boolean refuse, List<String> exemptPaths) {
    this.prefixes = sortedPrefixes(volumePaths);
    this.refuse = refuse;
    this.exempt = sortedPrefixes(exemptPaths);
  }

  private static List<String> sortedPrefixes(List<String> paths) {
    return paths.stream()
        .map(p -> p.endsWith("/") && p.length() > 1 ? p.substring(0, p.length() - 1) : p)
        .sorted(Comparator.comparingInt(String::length).reversed()).toList();
  }

  private static boolean under(String path, String prefix) {
    return path.equals(prefix) || path.startsWith(prefix + "/") || prefix.equals("/");
  }

  @Override
  public Route route(String absolutePath) {
    for (String p : prefixes) {
      if (under(absolutePath, p)) {
        return new Route.To(Path.of(absolutePath));
      }
    }
    if (refuse) {
      for (String e : exempt) {
        if (under(absolutePath, e)) {
          return new Route.Host();
        }
      }
      return new Route.Refuse("outside every session volume (the session's default_region is"
          + " refuse)");
    }
    return new Route.Host();
  }
}
