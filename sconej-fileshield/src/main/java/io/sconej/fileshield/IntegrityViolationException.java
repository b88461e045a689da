package io.sconej.fileshield;

import java.io.IOException;

/**
 * An integrity or freshness violation: the message names the volume file (and chunk) and the
 * kind of violation. No bytes of violated data are ever returned.
 */
public class IntegrityViolationException extends IOException {
  private static final long serialVersionUID = 1L;
  private final String path;
  private final long chunkIndex;
  private final Violation violation;

  /**
   * @param path the file inside the volume ("" for the volume itself)
   * @param chunkIndex the chunk, or -1
   */
  public IntegrityViolationException(String path, long chunkIndex, Violation violation,
      String detail) {
    super(message(path, chunkIndex, violation, detail));
    this.path = path;
    this.chunkIndex = chunkIndex;
    this.violation = violation;
  }

  private static String message(String path, long chunk, Violation v, String detail) {
    StringBuilder b = new StringBuilder("integrity violation: ");
    b.append(path.isEmpty() ? "volume" : "file '" + path + "'");
    if (chunk >= 0) {
      b.append(" chunk ").append(chunk);
    }
    b.append(": ").append(v.description());
    if (detail != null && !detail.isEmpty()) {
      b.append(" (").append(detail).append(')');
    }
    return b.toString();
  }

  /** The file inside the volume, "" for the volume as a whole. */
  public String path() {
    return path;
  }

  /** The chunk index, or -1 if the violation is not about one chunk. */
  public long chunkIndex() {
    return chunkIndex;
  }

  /** The kind of violation. */
  public Violation violation() {
    return violation;
  }
}
