package io.sconej.fileshield;

/** The volume opened at a state other than the expected tag(s): a rollback or replacement. */
public final class FreshnessViolationException extends IntegrityViolationException {
  private static final long serialVersionUID = 1L;

  /** Names the found tag; the expected one is not secret either. */
  public FreshnessViolationException(String detail) {
    super("", -1, Violation.STALE_STATE, detail);
  }
}
