package io.sconej.fileshield;

import java.nio.file.InvalidPathException;
import java.util.List;

/** Paths inside a volume: relative, '/'-separated, no empty, "." or ".." segments. */
final class VolumePaths {
  private VolumePaths() {}

  static boolean isValidName(String s) {
    return !s.isEmpty()
        && !s.equals(".")
        && !s.equals("..")
        && s.indexOf('/') < 0
        && s.indexOf('\0') < 0
        && s.length() <= 255;
  }

  /** Splits a path ("" or "/" is the root; a leading '/' is tolerated). */
  static List<String> split(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    if (p.isEmpty()) {
      return List.of();
    }
    List<String> segs = List.of(p.split("/", -1));
    for (String s : segs) {
      if (!isValidName(s)) {
        throw new InvalidPathException(path, "invalid volume path segment '" + s + "'");
      }
    }
    return segs;
  }
}
