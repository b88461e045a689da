package io.sconej.verifier;

import io.sconej.attestation.AttestationException;
import io.sconej.attestation.AttestationException.Reason;
import io.sconej.attestation.TeeMode;
import java.util.EnumMap;
import java.util.Map;

/** Combinations of {@link EvidenceVerifier}s. */
public final class EvidenceVerifiers {
  private EvidenceVerifiers() {}

  /**
   * A verifier that hands each evidence to the verifier configured for its mode and refuses every
   * other mode with {@link Reason#UNSUPPORTED_MODE}. A CAS builds one from its configuration, e.g.
   * {@code byMode(Map.of(TeeMode.SIM, simVerifier, TeeMode.GRAMINE_SGX, dcapVerifier))}; a mode
   * left out is never accepted.
   */
  public static EvidenceVerifier byMode(Map<TeeMode, EvidenceVerifier> verifiers) {
    Map<TeeMode, EvidenceVerifier> m =
        verifiers.isEmpty() ? new EnumMap<>(TeeMode.class) : new EnumMap<>(verifiers);
    return (evidence, now) -> {
      EvidenceVerifier v = m.get(evidence.mode());
      if (v == null) {
        throw new AttestationException(
            Reason.UNSUPPORTED_MODE, "evidence of mode " + evidence.mode().id() + " not accepted");
      }
      return v.verify(evidence, now);
    };
  }
}
