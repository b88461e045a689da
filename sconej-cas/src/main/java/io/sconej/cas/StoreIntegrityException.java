package io.sconej.cas;

import java.io.IOException;

/**
 * The CAS store on disk was changed by someone other than the CAS (a record edited, deleted,
 * reordered or truncated, the head or the key replaced). The CAS refuses to start (CLI exit 3).
 */
public final class StoreIntegrityException extends IOException {
  private static final long serialVersionUID = 1L;

  /** A violation naming the file and record. */
  public StoreIntegrityException(String message) {
    super(message);
  }
}
