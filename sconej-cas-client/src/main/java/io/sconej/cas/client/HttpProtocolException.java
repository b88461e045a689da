package io.sconej.cas.client;

import java.io.IOException;

/** A malformed or oversized HTTP message; carries the status a server answers it with. */
public final class HttpProtocolException extends IOException {
  private static final long serialVersionUID = 1L;
  private final int status;

  /** A refusal with the HTTP status (400, 411, 413, 431, ...) and a message naming the problem. */
  public HttpProtocolException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status to answer with. */
  public int status() {
    return status;
  }
}
