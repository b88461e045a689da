package io.sconej.cas;

import io.sconej.attestation.AttestationException;
import io.sconej.attestation.AttestationException.Reason;
import io.sconej.verifier.VerifiedEvidence;

/**
 * Matches verified evidence against one service of a session: the service's {@link
 * io.sconej.verifier.AttestationPolicy} (simulation, debug and TCB tolerations, measurement or
 * signer, channel binding; in that order), then the service's allowed modes. Throws with one
 * precise reason.
 */
final class ServiceConstraint {
  private ServiceConstraint() {}

  static void check(SessionPolicy.Service service, VerifiedEvidence ev, byte[] expectedReportData)
      throws AttestationException {
    service.constraint().check(ev, expectedReportData);
    if (!service.modes().contains(ev.mode())) {
      throw new AttestationException(
          Reason.UNSUPPORTED_MODE, "mode " + ev.mode().id() + " is not allowed for this service");
    }
  }
}
