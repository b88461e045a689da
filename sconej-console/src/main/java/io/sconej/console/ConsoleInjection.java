package io.sconej.console;

/**
 * Bytes in a captured console stream that are not part of it: written to the same file descriptor
 * by something other than the shield (a JVM thread dump or crash report, the host), or sconej's
 * own plaintext start-up lines written before the shield was installed. The reader skips them and
 * goes on verifying the records after them; none of their bytes is ever delivered as output.
 *
 * @param offset the absolute input offset of the first skipped byte
 * @param bytes how many bytes were skipped
 * @param beforeRecord the sequence number of the record that follows them, or -1 for the header
 * @param known true if they are exactly sconej's own start-up lines (not a violation)
 */
public record ConsoleInjection(long offset, long bytes, long beforeRecord, boolean known) {
  /** One line describing the skipped bytes (never their content). */
  public String message() {
    String where = beforeRecord < 0 ? "the stream header" : "record " + beforeRecord;
    if (known) {
      return "console stream offset " + offset + ": " + bytes + " bytes of sconej's own"
          + " plaintext start-up lines before " + where + " (written before the shield), skipped";
    }
    return "console stream offset " + offset + ": " + ConsoleViolation.INJECTED.name() + ": "
        + bytes + " bytes before " + where + " are not part of the stream (e.g. a JVM thread dump"
        + " or crash report, or written by the host), skipped";
  }
}
