package io.sconej.ioagent.boot;

import java.io.File;

/** Turns the names applications pass to {@code java.io} into absolute, normalised paths. */
final class PathNames {
  private PathNames() {}

  /**
   * Returns {@code name} made absolute against {@code user.dir} (as {@link File} does), with
   * {@code .}, {@code ..} and repeated separators removed; symbolic links are not resolved.
   */
  static String absolute(String name) {
    String abs = name.isEmpty() ? new File("").getAbsolutePath() : new File(name).getAbsolutePath();
    return normalize(abs);
  }

  /** Normalises an absolute Unix path; {@code ..} at the root stays at the root. */
  static String normalize(String abs) {
    boolean trailing = abs.length() > 1 && abs.endsWith("/");
    if (abs.indexOf("/.") < 0 && abs.indexOf("//") < 0 && !trailing) {
      return abs;
    }
    String[] parts = abs.split("/");
    String[] kept = new String[parts.length];
    int n = 0;
    for (String part : parts) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (n > 0) {
          n--;
        }
        continue;
      }
      kept[n++] = part;
    }
    if (n == 0) {
      return "/";
    }
    StringBuilder sb = new StringBuilder(abs.length());
    for (int i = 0; i < n; i++) {
      sb.append('/').append(kept[i]);
    }
    return sb.toString();
  }
}
