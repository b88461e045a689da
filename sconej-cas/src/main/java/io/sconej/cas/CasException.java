package io.sconej.cas;

/**
 * A request the CAS refuses, with the HTTP status and a message for the client. Messages name the
 * field or line that was wrong and never contain secrets or session contents the caller may not
 * see.
 */
public class CasException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  /** A refusal with an HTTP status (4xx) and a client-facing message. */
  public CasException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** 400 with a message. */
  public static CasException badRequest(String message) {
    return new CasException(400, message);
  }

  /** The one refusal for sessions that do not exist or that the caller may not see. */
  public static CasException noSuchSession() {
    return new CasException(404, "no such session, or access denied");
  }
}
