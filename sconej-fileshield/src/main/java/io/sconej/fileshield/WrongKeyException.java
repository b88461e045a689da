package io.sconej.fileshield;

/** The key does not open this volume (or its header was tampered with). */
public final class WrongKeyException extends IntegrityViolationException {
  private static final long serialVersionUID = 1L;

  /** A wrong key or tampered header. */
  public WrongKeyException() {
    super("", -1, Violation.WRONG_KEY, "volume.sconej");
  }
}
