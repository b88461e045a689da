package io.sconej.cas.client;

import io.sconej.crypto.SecretBytes;
import java.util.Optional;

/**
 * A volume as the CAS releases it to an attested service: where it is, its key, and the tags the
 * CAS will accept at start (the committed one and, after a crash between a pending report and its
 * commit, the pending one). A volume whose on-disk tag is neither is a rollback.
 *
 * @param name the volume name
 * @param path the path prefix it covers
 * @param kind encrypted or authenticated
 * @param key the volume key, generated and kept by the CAS
 * @param committedTag the last committed tag, empty for a fresh volume
 * @param pendingTag a reported but not yet committed tag, if any
 * @param onViolation what a violation found while the application runs does: {@code abort} (the
 *     enclave stops at once, exit 3) or {@code error} (the application gets the IOException)
 */
public record VolumeConfig(
    String name,
    String path,
    String kind,
    SecretBytes key,
    Optional<byte[]> committedTag,
    Optional<byte[]> pendingTag,
    String onViolation) {
  /** The default {@code on_violation}: a violation aborts the enclave. */
  public static final String ABORT = "abort";

  /** {@code on_violation: error}: the violation reaches the application as an IOException. */
  public static final String ERROR = "error";

  /** Checks {@code onViolation}. */
  public VolumeConfig {
    if (!ABORT.equals(onViolation) && !ERROR.equals(onViolation)) {
      throw new IllegalArgumentException("on_violation must be abort or error");
    }
  }

  /** A volume with the default {@code on_violation: abort}. */
  public VolumeConfig(String name, String path, String kind, SecretBytes key,
      Optional<byte[]> committedTag, Optional<byte[]> pendingTag) {
    this(name, path, kind, key, committedTag, pendingTag, ABORT);
  }

  /** True if a violation found while the application runs aborts the enclave. */
  public boolean abortsOnViolation() {
    return ABORT.equals(onViolation);
  }
}
