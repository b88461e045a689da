package io.sconej.verifier.dcap;

import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * Refusal of a DCAP quote or its collateral. Each refusal carries exactly one {@link Reason} and a
 * message naming the field (and offset, for quote bytes) that was wrong. Messages never contain key
 * material.
 */
public final class DcapVerificationException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  /** Why a quote or its collateral was refused; documented in {@code docs/formats/dcap.md}. */
  public enum Reason {
    /** The quote bytes do not follow the layout (truncated, bad length field, bad PEM...). */
    MALFORMED_QUOTE,
    /** The quote version is not 3 or 4. */
    UNSUPPORTED_VERSION,
    /** The attestation key type is not 2 (ECDSA-256 with P-256). */
    UNSUPPORTED_ATTESTATION_KEY_TYPE,
    /** The TEE type is neither SGX (0x00) nor TDX (0x81), or does not fit the version. */
    UNSUPPORTED_TEE_TYPE,
    /** The QE vendor id is not Intel's. */
    UNSUPPORTED_QE_VENDOR,
    /** The certification data is not type 5 (PCK chain) or, for v4, not wrapped in type 6. */
    UNSUPPORTED_CERTIFICATION_DATA,
    /** A certificate (in the quote or the collateral) or a CRL does not parse. */
    MALFORMED_CERTIFICATE,
    /** A certificate chain does not end in a root with the pinned public key. */
    ROOT_NOT_PINNED,
    /** A signature or issuer link or CA constraint in a certificate chain does not hold. */
    CERT_CHAIN_INVALID,
    /** A certificate is outside its validity period at the verification time. */
    CERT_EXPIRED,
    /** A certificate is listed in a CRL. */
    CERT_REVOKED,
    /** The collateral does not parse, or lacks or has an unknown field or version. */
    MALFORMED_COLLATERAL,
    /** The collateral is for another TEE (SGX vs TDX) or its CRL is from another issuer. */
    COLLATERAL_MISMATCH,
    /** TCB info, QE identity or a CRL is outside its issue/next-update window. */
    COLLATERAL_EXPIRED,
    /** The signature over TCB info, QE identity or a CRL does not verify. */
    COLLATERAL_SIGNATURE_INVALID,
    /** The QE report signature does not verify with the PCK certificate's key. */
    QE_REPORT_SIGNATURE_INVALID,
    /** The QE report data is not SHA-256(attestation key || QE auth data) || 32 zero bytes. */
    ATTESTATION_KEY_BINDING_MISMATCH,
    /** The quote signature over header and body does not verify with the attestation key. */
    QUOTE_SIGNATURE_INVALID,
    /** The QE report does not match the QE identity (MRSIGNER, ISVPRODID, attributes...). */
    QE_IDENTITY_MISMATCH,
    /** The PCK certificate's FMSPC differs from the TCB info's. */
    FMSPC_MISMATCH,
    /** The PCK certificate's PCE-ID differs from the TCB info's. */
    PCE_ID_MISMATCH,
    /** No TCB level (platform, TDX module or QE) matches the SVNs in the quote. */
    TCB_LEVEL_NOT_FOUND,
    /** The TDX module signer or SEAM attributes differ from the TCB info's TDX module. */
    TDX_MODULE_MISMATCH,
    /** The matching TCB level (platform, TDX module or QE) has status Revoked. */
    TCB_REVOKED
  }

  private final Reason reason;

  /** Creates a refusal with its reason and a message naming the offending field. */
  public DcapVerificationException(Reason reason, String message) {
    super(Objects.requireNonNull(reason, "reason") + ": " + message);
    this.reason = reason;
  }

  /** Creates a refusal with its reason, message and the underlying cause. */
  public DcapVerificationException(Reason reason, String message, Throwable cause) {
    super(Objects.requireNonNull(reason, "reason") + ": " + message, cause);
    this.reason = reason;
  }

  /** The one reason for this refusal. */
  public Reason reason() {
    return reason;
  }
}
