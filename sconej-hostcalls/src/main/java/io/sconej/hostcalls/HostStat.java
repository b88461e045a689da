package io.sconej.hostcalls;

/**
 * What the host says about a path: whether it exists, its kind, size and modification time.
 *
 * @param exists false for a missing path (all other fields zero)
 * @param directory true for a directory
 * @param sizeBytes size of a regular file
 * @param modifiedMillis host modification time; informational only, never trusted for security
 */
public record HostStat(boolean exists, boolean directory, long sizeBytes, long modifiedMillis) {
  /** A missing path. */
  public static final HostStat MISSING = new HostStat(false, false, 0, 0);
}
