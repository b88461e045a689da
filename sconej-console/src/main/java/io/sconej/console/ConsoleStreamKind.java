package io.sconej.console;

/** Which host stream a console stream was written to; stored in the authenticated header. */
public enum ConsoleStreamKind {
  /** The process's standard output (file descriptor 1). */
  STDOUT(1),
  /** The process's standard error (file descriptor 2). */
  STDERR(2);

  private final int code;

  ConsoleStreamKind(int code) {
    this.code = code;
  }

  /** The byte stored in the stream header. */
  public int code() {
    return code;
  }

  /** The lower-case name used on the command line and in messages: "stdout" or "stderr". */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The kind for a header byte.
   *
   * @throws IllegalArgumentException if {@code code} names no kind
   */
  public static ConsoleStreamKind ofCode(int code) {
    for (ConsoleStreamKind k : values()) {
      if (k.code == code) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown console stream kind " + code);
  }

  /**
   * The kind for a label ("stdout" or "stderr", any case).
   *
   * @throws IllegalArgumentException for any other text
   */
  public static ConsoleStreamKind parse(String label) {
    for (ConsoleStreamKind k : values()) {
      if (k.label().equalsIgnoreCase(label)) {
        return k;
      }
    }
    throw new IllegalArgumentException("stream kind must be stdout or stderr");
  }
}
