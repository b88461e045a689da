package io.sconej.crypto.json;

import java.io.IOException;

/** Malformed or unexpected JSON: names the field, or the line and column, that was wrong. */
public final class JsonException extends IOException {
  private static final long serialVersionUID = 1L;

  /** A refusal with a message naming the position or field. */
  public JsonException(String message) {
    super(message);
  }
}
