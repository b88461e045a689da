package io.sconej.runtime;

import io.sconej.fileshield.IntegrityViolationException;
import io.sconej.fileshield.ViolationListener;
import io.sconej.fileshield.Volume;
import java.io.PrintStream;

/**
 * The session's default {@code on_violation: abort}: a violation found while the application runs
 * stops the enclave at once, before the application sees the exception, so that it cannot carry
 * on by discarding or rewriting data ("any rollback of files or individual blocks will abort the
 * application").
 *
 * <p>In order: the volume fails closed (no commit starts after this); with a protected console,
 * the full message, which names the file inside the volume, goes into the protected stderr; one
 * line goes to the host's stderr, outside any console record, naming the volume, the host data
 * file (not the file's name inside the volume, which the host must not learn), the chunk and the
 * kind of violation; then the JVM halts with exit 3. Halting skips shutdown hooks, so nothing of
 * any volume is committed, and the console's END records are not written (a reader sees a cut
 * stream).
 */
final class ViolationAbort implements ViolationListener {
  /** The exit code of an aborted enclave (integrity violation). */
  static final int EXIT_CODE = 3;

  /** Set once the console shield is installed: only then is System.err a protected stream. */
  private static volatile boolean consoleProtected;

  private final String volumeName;
  private final PrintStream hostErr;

  /** Records that System.err is now the console shield's protected stream. */
  static void consoleProtected() {
    consoleProtected = true;
  }

  /**
   * @param volumeName the session's name of the volume
   * @param hostErr the host's stderr, taken before the console shield is installed
   */
  ViolationAbort(String volumeName, PrintStream hostErr) {
    this.volumeName = volumeName;
    this.hostErr = hostErr;
  }

  @Override
  public void onViolation(Volume volume, IntegrityViolationException e, String hostFile) {
    try {
      volume.failClosed("aborted on " + e.getMessage());
      if (consoleProtected) { // never the volume path in a plaintext stream
        System.err.println("sconej: " + e.getMessage() + " in volume '" + volumeName + "'");
        System.err.flush();
      }
      hostErr.println(line(volumeName, e, hostFile));
      hostErr.flush();
    } finally {
      Runtime.getRuntime().halt(EXIT_CODE);
    }
  }

  /** The host's line: volume, host data file, chunk and kind; never the file's volume path. */
  static String line(String volumeName, IntegrityViolationException e, String hostFile) {
    StringBuilder b = new StringBuilder("sconej: integrity violation in volume '")
        .append(volumeName).append('\'');
    if (!hostFile.isEmpty()) {
      b.append(", host file ").append(hostFile);
    }
    if (e.chunkIndex() >= 0) {
      b.append(", chunk ").append(e.chunkIndex());
    }
    return b.append(": ").append(e.violation().description())
        .append("; the enclave stops (exit 3) and commits nothing more").toString();
  }
}
