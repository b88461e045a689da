package io.sconej.image;

/**
 * An image that cannot be built, with one line naming the problem: {@link #badInput()} for inputs
 * the user can fix (a missing main class, a jar that is not a jar, a module jdeps cannot
 * resolve), else a failure of the build machine (jlink, I/O, Jib).
 */
public final class ImageException extends Exception {
  private static final long serialVersionUID = 1L;
  private final boolean badInput;

  private ImageException(String message, boolean badInput, Throwable cause) {
    super(message, cause);
    this.badInput = badInput;
  }

  /** Bad input, fixable by the user. */
  static ImageException badInput(String message) {
    return new ImageException(message, true, null);
  }

  /** A failure while building. */
  static ImageException failed(String message, Throwable cause) {
    return new ImageException(message, false, cause);
  }

  /** Whether the inputs are at fault (the CLI exits 2), not the build (exit 1). */
  public boolean badInput() {
    return badInput;
  }
}
