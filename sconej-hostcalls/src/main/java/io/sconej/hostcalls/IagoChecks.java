package io.sconej.hostcalls;

import java.util.HashSet;
import java.util.List;

/**
 * Validation of every value a host returns, shared by all {@link HostCalls} implementations so
 * that synchronous and asynchronous calls are held to exactly the same rules.
 */
public final class IagoChecks {
  /** Largest file size the runtime accepts from a host (2^62 bytes). */
  public static final long MAX_FILE_SIZE = 1L << 62;

  /** Largest directory listing accepted from a host. */
  public static final int MAX_DIR_ENTRIES = 10_000_000;

  private IagoChecks() {}

  /** A read count must be -1 or within [0, requested], and match how far the buffer moved. */
  public static int readCount(String path, int returned, int requested, int advanced)
      throws HostCallException {
    if (returned < -1 || returned > requested) {
      throw new HostCallException(
          "host returned read count " + returned + " for " + requested + " bytes requested: " + path);
    }
    if (advanced != Math.max(returned, 0)) {
      throw new HostCallException(
          "host read count " + returned + " disagrees with " + advanced + " bytes delivered: " + path);
    }
    return returned;
  }

  /** A write count must be within [0, requested] and match how far the buffer moved. */
  public static int writeCount(String path, int returned, int requested, int advanced)
      throws HostCallException {
    if (returned < 0 || returned > requested || advanced != returned) {
      throw new HostCallException(
          "host returned write count " + returned + " for " + requested + " bytes: " + path);
    }
    return returned;
  }

  /** A size must be within [0, {@link #MAX_FILE_SIZE}]. */
  public static long size(String path, long returned) throws HostCallException {
    if (returned < 0 || returned > MAX_FILE_SIZE) {
      throw new HostCallException("host returned impossible size " + returned + ": " + path);
    }
    return returned;
  }

  /** A stat must be consistent: a missing path has no kind or size, sizes are in range. */
  public static HostStat stat(String path, HostStat s) throws HostCallException {
    if (s == null) {
      throw new HostCallException("host returned no stat result: " + path);
    }
    if (!s.exists() && (s.directory() || s.sizeBytes() != 0)) {
      throw new HostCallException("host returned an inconsistent stat for a missing path: " + path);
    }
    size(path, s.sizeBytes());
    return s;
  }

  /**
   * Directory entries must be plain, distinct names: non-empty, no '/', no NUL, not "." or "..",
   * and not too many.
   */
  public static List<String> listing(String dir, List<String> names) throws HostCallException {
    if (names == null) {
      throw new HostCallException("host returned no listing: " + dir);
    }
    if (names.size() > MAX_DIR_ENTRIES) {
      throw new HostCallException("host returned " + names.size() + " entries: " + dir);
    }
    var seen = new HashSet<String>(names.size() * 2);
    for (String n : names) {
      if (n == null
          || n.isEmpty()
          || n.equals(".")
          || n.equals("..")
          || n.indexOf('/') >= 0
          || n.indexOf('\0') >= 0) {
        throw new HostCallException("host returned a malformed directory entry in " + dir);
      }
      if (!seen.add(n)) {
        throw new HostCallException("host returned a duplicate directory entry in " + dir);
      }
    }
    return List.copyOf(names);
  }
}
