package io.sconej.console;

/** The ways a captured console stream can fail verification; each names one attack or accident. */
public enum ConsoleViolation {
  /** The bytes do not start with the console stream magic, or name an unsupported version. */
  NOT_A_CONSOLE_STREAM("not a sconej console stream"),
  /** The header's key check fails: another key, or an altered header (indistinguishable). */
  WRONG_KEY("wrong key, or the stream header was altered"),
  /** A record fails authentication: altered bytes, or a record spliced from another stream. */
  TAMPERED("record fails authentication (altered, or taken from another stream)"),
  /** The stream ends before its end record: cut by the host, or the process died. */
  TRUNCATED("stream ends without end record (truncated, or the process died)"),
  /** An authentic record of this stream appears before one that precedes it. */
  REORDERED("record out of order"),
  /** An authentic record of this stream is missing: a later one follows without it. */
  DROPPED("record missing (dropped)"),
  /** An authentic record of this stream appears a second time. */
  DUPLICATED("record appears again (duplicated or replayed)"),
  /**
   * Bytes that are not part of the stream lie between its header and records (or before the
   * header): the reader skips them, reports them as a {@link ConsoleInjection} and goes on.
   */
  INJECTED("bytes that are not part of the stream");

  private final String description;

  ConsoleViolation(String description) {
    this.description = description;
  }

  /** A short human-readable description for messages. */
  public String description() {
    return description;
  }
}
