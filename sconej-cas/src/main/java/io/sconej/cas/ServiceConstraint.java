package io.sconej.cas;

import io.sconej.attestation.AttestationException;
import io.sconej.attestation.AttestationException.Reason;
import io.sconej.attestation.TeeMode;
import io.sconej.attestation.VerifiedEvidence;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Matches verified evidence against one service of a session: mode allowed, simulation, debug and
 * TCB status tolerated, measurement or signer allowed, report data equal to the expected channel
 * binding. Throws with one precise reason; checks in that order.
 */
final class ServiceConstraint {
  private ServiceConstraint() {}

  static void check(
      SessionPolicy session,
      SessionPolicy.Service service,
      VerifiedEvidence ev,
      byte[] expectedReportData)
      throws AttestationException {
    if (!MessageDigest.isEqual(ev.reportData(), expectedReportData)) {
      throw new AttestationException(
          Reason.CHANNEL_BINDING_MISMATCH,
          "report data does not bind this TLS client key and nonce");
    }
    if (ev.mode() == TeeMode.SIM && !session.tolerate().contains("simulation")) {
      throw new AttestationException(
          Reason.SIMULATION_NOT_TOLERATED,
          "simulation evidence, and the policy does not tolerate simulation");
    }
    if (!service.modes().contains(ev.mode())) {
      throw new AttestationException(
          Reason.UNSUPPORTED_MODE, "mode " + ev.mode().id() + " is not allowed for this service");
    }
    if (ev.debug() && !session.tolerate().contains("debug")) {
      throw new AttestationException(Reason.DEBUG_NOT_TOLERATED, "debug enclave not tolerated");
    }
    String tcb = ev.tcbStatus();
    boolean tcbOk =
        tcb.equals("UpToDate")
            || (ev.mode() == TeeMode.SIM && tcb.equals("Simulated"))
            || (session.tolerate().contains("outdated-tcb") && !tcb.equals("Revoked"));
    if (!tcbOk) {
      throw new AttestationException(Reason.TCB_NOT_ACCEPTED, "TCB status " + tcb);
    }
    HexFormat hex = HexFormat.of();
    boolean measured = service.measurements().contains(hex.formatHex(ev.measurement()));
    boolean signed =
        ev.signer().length > 0 && service.signers().contains(hex.formatHex(ev.signer()));
    if (!measured && !signed) {
      throw new AttestationException(
          Reason.MEASUREMENT_MISMATCH,
          "measurement and signer are not among those the policy allows");
    }
  }
}
