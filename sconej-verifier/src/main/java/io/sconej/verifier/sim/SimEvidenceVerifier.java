package io.sconej.verifier.sim;

import static io.sconej.attestation.sim.SimEvidenceDescriptor.*;

import io.sconej.attestation.AttestationException;
import io.sconej.attestation.AttestationException.Reason;
import io.sconej.attestation.Evidence;
import io.sconej.attestation.ReportData;
import io.sconej.attestation.TeeMode;
import io.sconej.attestation.sim.SimPlatform;
import io.sconej.crypto.Hex;
import io.sconej.verifier.EvidenceVerifier;
import io.sconej.verifier.VerifiedEvidence;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Verifies SIMULATION evidence against the platform certificates a configuration trusts.
 *
 * <p>Guarantees: a returned {@link VerifiedEvidence} (mode {@link TeeMode#SIM}, tcbStatus
 * "Simulated", debug false) was signed by the key of one of the trusted certificates, whose
 * validity includes {@code now}, and carries exactly the signed measurement, signer and report
 * data. Refusals, checked in this order: {@link Reason#UNSUPPORTED_MODE} (evidence not labelled
 * sim), {@link Reason#MALFORMED_EVIDENCE} (length not {@value SimEvidenceDescriptor#LENGTH}, bad
 * magic, unknown version, non-zero flags), {@link Reason#UNSUPPORTED_MODE} (mode byte not sim),
 * {@link Reason#UNTRUSTED_PLATFORM} (platform id of no trusted certificate), {@link
 * Reason#BAD_SIGNATURE} (including a version other than the one the platform's key type signs),
 * {@link Reason#EXPIRED_OR_REVOKED} (certificate not valid at {@code now}).
 *
 * <p>Restrictions: it proves nothing about the hardware and does not check freshness, policy or
 * channel binding; see {@code io.sconej.verifier.AttestationPolicy}.
 */
public final class SimEvidenceVerifier implements EvidenceVerifier {
  /** The tcbStatus of all sim evidence. */
  public static final String TCB_STATUS = "Simulated";

  private final Map<String, X509Certificate> trusted;

  private SimEvidenceVerifier(Map<String, X509Certificate> trusted) {
    this.trusted = trusted;
  }

  /**
   * A verifier trusting exactly these platform certificates.
   *
   * @throws IllegalArgumentException if a certificate has no EC P-256 or Ed25519 key or its
   *     self-signature does not verify
   */
  public static SimEvidenceVerifier create(Collection<X509Certificate> trustedPlatforms) {
    Map<String, X509Certificate> m = new HashMap<>();
    for (X509Certificate c : trustedPlatforms) {
      if (versionFor(c.getPublicKey()) < 0) {
        throw new IllegalArgumentException("sim platform certificate "
            + c.getSubjectX500Principal() + " has no EC P-256 or Ed25519 key");
      }
      try {
        c.verify(c.getPublicKey());
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException(
            "sim platform certificate " + c.getSubjectX500Principal() + " is not self-signed", e);
      }
      m.put(Hex.encode(SimPlatform.platformIdOf(c.getPublicKey())), c);
    }
    return new SimEvidenceVerifier(Map.copyOf(m));
  }

  @Override
  public VerifiedEvidence verify(Evidence evidence, Instant now) throws AttestationException {
    if (evidence.mode() != TeeMode.SIM) {
      throw new AttestationException(
          Reason.UNSUPPORTED_MODE, "sim verifier got " + evidence.mode().id() + " evidence");
    }
    byte[] b = evidence.bytes();
    if (b.length != LENGTH) {
      throw malformed("length " + b.length + ", expected " + LENGTH);
    }
    if (!Arrays.equals(b, MAGIC_OFFSET, MAGIC_OFFSET + MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw malformed("bad magic");
    }
    int version = ((b[VERSION_OFFSET] & 0xff) << 8) | (b[VERSION_OFFSET + 1] & 0xff);
    if (version != VERSION_P256 && version != VERSION_ED25519) {
      throw malformed("unknown version " + version);
    }
    if (b[MODE_OFFSET] != MODE_SIM) {
      throw new AttestationException(
          Reason.UNSUPPORTED_MODE, "sim evidence: mode byte " + (b[MODE_OFFSET] & 0xff));
    }
    if (b[FLAGS_OFFSET] != 0) {
      throw malformed("non-zero flags " + (b[FLAGS_OFFSET] & 0xff));
    }
    String platformId = Hex.encode(slice(b, PLATFORM_ID_OFFSET, HASH_LENGTH));
    X509Certificate cert = trusted.get(platformId);
    if (cert == null) {
      throw new AttestationException(
          Reason.UNTRUSTED_PLATFORM, "sim evidence from untrusted platform " + platformId);
    }
    if (versionFor(cert.getPublicKey()) != version) {
      throw new AttestationException(Reason.BAD_SIGNATURE, "sim evidence version " + version
          + " is not what the key of platform " + platformId + " signs");
    }
    try {
      Signature v = Signature.getInstance(signatureAlgorithm(version));
      v.initVerify(cert.getPublicKey());
      v.update(b, 0, SIGNED_LENGTH);
      if (!v.verify(b, SIGNATURE_OFFSET, SIGNATURE_LENGTH)) {
        throw badSignature(platformId, null);
      }
    } catch (GeneralSecurityException e) {
      throw badSignature(platformId, e);
    }
    if (now.isBefore(cert.getNotBefore().toInstant())
        || now.isAfter(cert.getNotAfter().toInstant())) {
      throw new AttestationException(
          Reason.EXPIRED_OR_REVOKED,
          "sim platform "
              + platformId
              + " certificate valid "
              + cert.getNotBefore().toInstant()
              + " to "
              + cert.getNotAfter().toInstant()
              + ", not at "
              + now);
    }
    return new VerifiedEvidence(
        TeeMode.SIM,
        slice(b, MEASUREMENT_OFFSET, HASH_LENGTH),
        slice(b, SIGNER_OFFSET, HASH_LENGTH),
        slice(b, REPORT_DATA_OFFSET, ReportData.LENGTH_BYTES),
        platformId,
        false,
        TCB_STATUS);
  }

  private static AttestationException badSignature(String platformId, Throwable cause) {
    return new AttestationException(
        Reason.BAD_SIGNATURE,
        "sim evidence signature does not verify for platform " + platformId,
        cause);
  }

  private static AttestationException malformed(String what) {
    return new AttestationException(Reason.MALFORMED_EVIDENCE, "malformed sim evidence: " + what);
  }

  private static byte[] slice(byte[] b, int off, int len) {
    return Arrays.copyOfRange(b, off, off + len);
  }
}
