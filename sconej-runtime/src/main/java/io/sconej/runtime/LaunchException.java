package io.sconej.runtime;

/** The start is refused before application code runs; carries the exit code. */
final class LaunchException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  LaunchException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
