package io.sconej.cli;

/** Exit codes shared by every subcommand (ARCHITECTURE.md section 7). */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;

  /** Anything else. */
  public static final int OTHER = 1;

  /** Usage error or bad input (missing file, bad hex, unknown option, malformed policy). */
  public static final int USAGE = 2;

  /** Integrity, freshness or attestation violation, wrong key. */
  public static final int VIOLATION = 3;

  /** Unreachable or refusing peer (CAS, network). */
  public static final int PEER = 4;

  private ExitCodes() {}
}
