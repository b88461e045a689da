package io.sconej.attestation.measure;

import java.io.IOException;

/**
 * The inputs of a measurement cannot be measured canonically: a missing or unreadable file, a jar
 * with duplicate entry names or a manifest {@code Class-Path}, or two class path entries that
 * define the same class differently. The message names the file and the problem.
 */
public final class MeasurementException extends IOException {
  private static final long serialVersionUID = 1L;

  /** A failure naming the file and what was wrong. */
  public MeasurementException(String message) {
    super(message);
  }

  /** A failure with its cause. */
  public MeasurementException(String message, Throwable cause) {
    super(message, cause);
  }
}
