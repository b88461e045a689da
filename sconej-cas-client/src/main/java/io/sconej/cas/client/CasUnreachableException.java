package io.sconej.cas.client;

import java.io.IOException;

/** The CAS could not be reached, or the TLS handshake with the pinned CAS certificate failed. */
public final class CasUnreachableException extends IOException {
  private static final long serialVersionUID = 1L;

  /** A failure naming the CAS address and what failed. */
  public CasUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
