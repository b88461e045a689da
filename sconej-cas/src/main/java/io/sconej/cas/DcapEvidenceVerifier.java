package io.sconej.cas;

import io.sconej.attestation.AttestationException;
import io.sconej.attestation.AttestationException.Reason;
import io.sconej.attestation.Evidence;
import io.sconej.attestation.ReportData;
import io.sconej.attestation.TeeMode;
import io.sconej.verifier.EvidenceVerifier;
import io.sconej.verifier.VerifiedEvidence;
import io.sconej.verifier.dcap.DcapCollateral;
import io.sconej.verifier.dcap.DcapVerificationException;
import io.sconej.verifier.dcap.DcapVerifiedQuote;
import io.sconej.verifier.dcap.DcapVerifier;
import io.sconej.verifier.dcap.TeeType;
import java.time.Instant;
import java.util.List;

/**
 * Adapts the attestation core's {@link DcapVerifier} (SGX v3/v4 and TDX v4 quotes, pinned Intel
 * root) to the CAS's per-mode {@link EvidenceVerifier}: {@code gramine-sgx} evidence must be an SGX
 * quote, {@code tdx} evidence a TDX quote. Collateral (TCB info, QE identity, CRLs) is given by
 * configuration, one per FMSPC and TEE type; the collateral that fits the quote's platform is used.
 *
 * <p>Refusal reasons map the DCAP reasons: malformed or unsupported quotes to {@code
 * MALFORMED_EVIDENCE}, signature failures to {@code BAD_SIGNATURE}, chains not ending in the pinned
 * root to {@code UNTRUSTED_PLATFORM}, expired or revoked certificates and collateral to {@code
 * EXPIRED_OR_REVOKED}, revoked or unknown TCB levels to {@code TCB_NOT_ACCEPTED}; the CAS's policy
 * then checks measurement, signer, debug, TCB tolerations and channel binding.
 */
public final class DcapEvidenceVerifier implements EvidenceVerifier {
  private final TeeMode mode;
  private final DcapVerifier verifier;
  private final List<DcapCollateral> collaterals;

  private DcapEvidenceVerifier(TeeMode mode, DcapVerifier verifier, List<DcapCollateral> c) {
    this.mode = mode;
    this.verifier = verifier;
    this.collaterals = List.copyOf(c);
  }

  /**
   * A verifier for {@code mode} ({@link TeeMode#GRAMINE_SGX} or {@link TeeMode#TDX}).
   *
   * @throws IllegalArgumentException for another mode or no collateral
   */
  public static DcapEvidenceVerifier create(
      TeeMode mode, DcapVerifier verifier, List<DcapCollateral> collaterals) {
    if (mode != TeeMode.GRAMINE_SGX && mode != TeeMode.TDX) {
      throw new IllegalArgumentException("DCAP quotes attest gramine-sgx or tdx, not " + mode.id());
    }
    if (collaterals.isEmpty()) {
      throw new IllegalArgumentException("DCAP verification needs collateral");
    }
    return new DcapEvidenceVerifier(mode, verifier, collaterals);
  }

  @Override
  public VerifiedEvidence verify(Evidence evidence, Instant now) throws AttestationException {
    if (evidence.mode() != mode) {
      throw new AttestationException(
          Reason.UNSUPPORTED_MODE, "DCAP verifier for " + mode.id() + " got " + evidence.mode());
    }
    DcapVerifiedQuote q = null;
    for (int i = 0; q == null; i++) {
      try {
        q = verifier.verify(evidence.bytes(), collaterals.get(i), now);
      } catch (DcapVerificationException e) {
        boolean otherPlatform =
            switch (e.reason()) {
              case FMSPC_MISMATCH, PCE_ID_MISMATCH, COLLATERAL_MISMATCH -> true;
              default -> false;
            };
        if (!otherPlatform || i + 1 == collaterals.size()) {
          throw new AttestationException(reason(e.reason()), "DCAP: " + e.getMessage(), e);
        }
      }
    }
    TeeType expected = mode == TeeMode.TDX ? TeeType.TDX : TeeType.SGX;
    if (q.teeType() != expected) {
      throw new AttestationException(
          Reason.UNSUPPORTED_MODE, q.teeType() + " quote presented as " + mode.id());
    }
    if (q.reportData().length != ReportData.LENGTH_BYTES) {
      throw new AttestationException(Reason.MALFORMED_EVIDENCE, "report data is not 64 bytes");
    }
    return new VerifiedEvidence(
        mode,
        q.measurement(),
        q.signer(),
        q.reportData(),
        "fmspc:" + q.fmspc(),
        q.debug(),
        q.tcbStatus().jsonName());
  }

  private static Reason reason(DcapVerificationException.Reason r) {
    return switch (r) {
      case MALFORMED_QUOTE,
          UNSUPPORTED_VERSION,
          UNSUPPORTED_ATTESTATION_KEY_TYPE,
          UNSUPPORTED_QE_VENDOR,
          UNSUPPORTED_CERTIFICATION_DATA,
          MALFORMED_CERTIFICATE ->
          Reason.MALFORMED_EVIDENCE;
      case UNSUPPORTED_TEE_TYPE -> Reason.UNSUPPORTED_MODE;
      case ROOT_NOT_PINNED, CERT_CHAIN_INVALID, FMSPC_MISMATCH, PCE_ID_MISMATCH ->
          Reason.UNTRUSTED_PLATFORM;
      case CERT_EXPIRED, CERT_REVOKED, COLLATERAL_EXPIRED -> Reason.EXPIRED_OR_REVOKED;
      case QE_REPORT_SIGNATURE_INVALID,
          ATTESTATION_KEY_BINDING_MISMATCH,
          QUOTE_SIGNATURE_INVALID,
          COLLATERAL_SIGNATURE_INVALID ->
          Reason.BAD_SIGNATURE;
      case TCB_LEVEL_NOT_FOUND, TDX_MODULE_MISMATCH, TCB_REVOKED -> Reason.TCB_NOT_ACCEPTED;
      default -> Reason.REFUSED;
    };
  }
}
