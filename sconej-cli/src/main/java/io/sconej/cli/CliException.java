package io.sconej.cli;

/** A failure reported to the user as one line on stderr with an exit code. */
public final class CliException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  /** A failure with the given exit code (see {@link ExitCodes}). */
  public CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  /** Usage or bad input (exit 2). */
  public static CliException usage(String message) {
    return new CliException(ExitCodes.USAGE, message);
  }

  /** Integrity or attestation violation (exit 3). */
  public static CliException violation(String message) {
    return new CliException(ExitCodes.VIOLATION, message);
  }

  /** Unreachable or refusing peer (exit 4). */
  public static CliException peer(String message) {
    return new CliException(ExitCodes.PEER, message);
  }

  /** Wraps this for lambdas that cannot throw checked exceptions. */
  public Unchecked asUnchecked() {
    return new Unchecked(this);
  }

  /** Carrier of a {@link CliException} through a lambda. */
  public static final class Unchecked extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unchecked(CliException e) {
      super(e.getMessage(), e);
    }

    /** The wrapped exception. */
    public CliException checked() {
      return (CliException) getCause();
    }
  }

  /** The exit code. */
  public int exitCode() {
    return exitCode;
  }
}
