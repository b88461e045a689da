package io.sconej.cas.client;

import java.io.IOException;

/** The CAS answered with an error status (other than an attestation refusal). */
public final class CasResponseException extends IOException {
  private static final long serialVersionUID = 1L;
  private final int status;

  /** A failure with the HTTP status and the CAS's error message. */
  public CasResponseException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status the CAS answered. */
  public int status() {
    return status;
  }
}
