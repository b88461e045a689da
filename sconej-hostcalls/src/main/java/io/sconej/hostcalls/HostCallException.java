package io.sconej.hostcalls;

import java.io.IOException;

/**
 * The host returned something impossible (an Iago attack or a broken host): a length beyond the
 * buffer, a negative size, a malformed directory entry, a response to another request.
 */
public class HostCallException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Names the call and the impossible result. */
  public HostCallException(String message) {
    super(message);
  }
}
