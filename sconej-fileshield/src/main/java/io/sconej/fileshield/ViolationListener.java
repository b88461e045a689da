package io.sconej.fileshield;

/**
 * Told about every integrity or freshness violation a volume finds while it is mounted (a chunk
 * that fails authentication, chunk data missing on the host), on the thread that found it, before
 * the {@link IntegrityViolationException} is thrown to the caller.
 *
 * <p>The runtime's listener aborts the enclave (the session's default {@code on_violation:
 * abort}): it calls {@link Volume#failClosed}, reports one line and halts the JVM, so that the
 * application never sees the exception and cannot "recover" by discarding or rewriting data.
 * Violations found while a volume is opened (tampered manifest, rolled-back state) are thrown by
 * {@link Volume#open} and are not reported here.
 */
@FunctionalInterface
public interface ViolationListener {
  /**
   * A violation was found.
   *
   * @param volume the volume it was found in
   * @param violation what was found (names the file inside the volume, the chunk and the kind)
   * @param hostFile the host data file concerned, relative to the volume directory (the host
   *     knows it already, unlike the file's name inside an encrypted volume), or "" if none
   */
  void onViolation(Volume volume, IntegrityViolationException violation, String hostFile);

  /** A listener that does nothing: the exception reaches the caller (on_violation: error). */
  ViolationListener NONE = (volume, violation, hostFile) -> {};
}
