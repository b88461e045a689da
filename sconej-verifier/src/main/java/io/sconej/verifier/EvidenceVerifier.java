package io.sconej.verifier;

import io.sconej.attestation.AttestationException;
import io.sconej.attestation.Evidence;
import io.sconej.attestation.ReportData;
import java.time.Instant;

/**
 * Verifies evidence of one or more modes. Never returns a result a caller could ignore: either the
 * verified claims, or an {@link AttestationException} with one precise reason.
 */
public interface EvidenceVerifier {
  /**
   * Checks the evidence's signatures and freshness of its collateral at {@code now}.
   *
   * <p>Does not decide policy (allowed measurements, tolerations) nor channel binding: callers
   * match the returned claims against the session and {@link ReportData}.
   *
   * @throws AttestationException with the reason the evidence is refused
   */
  VerifiedEvidence verify(Evidence evidence, Instant now) throws AttestationException;
}
