package io.sconej.attestation;

import java.security.GeneralSecurityException;

/** Refused evidence or attestation, with one machine-readable reason and one precise message. */
public class AttestationException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  /** Why attestation was refused. */
  public enum Reason {
    /** The evidence could not be parsed. */
    MALFORMED_EVIDENCE,
    /** The mode is not supported by this verifier. */
    UNSUPPORTED_MODE,
    /** A signature over the evidence or its collateral does not verify. */
    BAD_SIGNATURE,
    /** The signing platform or certificate chain is not trusted by configuration. */
    UNTRUSTED_PLATFORM,
    /** A certificate or collateral is outside its validity window, or revoked. */
    EXPIRED_OR_REVOKED,
    /** The platform's TCB status is not acceptable. */
    TCB_NOT_ACCEPTED,
    /** Simulation evidence where the policy does not tolerate simulation. */
    SIMULATION_NOT_TOLERATED,
    /** A debug enclave where the policy does not tolerate debug. */
    DEBUG_NOT_TOLERATED,
    /** The measurement or signer is not among those the policy allows. */
    MEASUREMENT_MISMATCH,
    /** The report data does not bind this channel's key. */
    CHANNEL_BINDING_MISMATCH,
    /** The nonce is unknown, expired or already used (replay). */
    STALE_OR_REPLAYED_NONCE,
    /** No such session or service (reported without revealing which). */
    UNKNOWN_CONFIG_ID,
    /** Anything else that refuses attestation. */
    REFUSED
  }

  private final Reason reason;

  /** A refusal with its reason and a message naming what was wrong. */
  public AttestationException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** A refusal with a cause. */
  public AttestationException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** The reason code. */
  public Reason reason() {
    return reason;
  }
}
