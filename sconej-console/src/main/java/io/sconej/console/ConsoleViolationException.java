package io.sconej.console;

import java.io.IOException;

/**
 * A captured console stream failed verification. The message is one line naming the record sequence
 * number (or "header") and the violation; it never contains key material or plaintext. The
 * plaintext of the violated record, and of everything after it, is never returned.
 */
public final class ConsoleViolationException extends IOException {
  private static final long serialVersionUID = 1L;
  private final ConsoleViolation violation;
  private final long sequence;

  /**
   * @param sequence the sequence number of the record position where the stream deviates, or -1 for
   *     the stream header
   * @param detail extra context for the message, may be empty
   */
  public ConsoleViolationException(ConsoleViolation violation, long sequence, String detail) {
    super(message(violation, sequence, detail));
    this.violation = violation;
    this.sequence = sequence;
  }

  private static String message(ConsoleViolation v, long sequence, String detail) {
    StringBuilder b = new StringBuilder("console stream ");
    b.append(sequence < 0 ? "header" : "record " + sequence);
    b.append(": ").append(v.name()).append(": ").append(v.description());
    if (!detail.isEmpty()) {
      b.append(" (").append(detail).append(')');
    }
    return b.toString();
  }

  /** The kind of violation. */
  public ConsoleViolation violation() {
    return violation;
  }

  /**
   * The sequence number of the record position at which the stream stops being valid: every record
   * before it was delivered; -1 if the header itself is bad.
   */
  public long sequence() {
    return sequence;
  }
}
