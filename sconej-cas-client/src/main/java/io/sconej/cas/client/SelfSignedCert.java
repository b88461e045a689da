package io.sconej.cas.client;

import io.sconej.attestation.x509.SelfSignedCertificates;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/**
 * Self-signed certificates for the runtime's ephemeral TLS client identity (Ed25519) and for owner
 * identities (EC P-256): a validity-window convenience over {@link SelfSignedCertificates}, the
 * project's one JDK-only certificate writer (basic constraints with CA false, so it can never act
 * as a CA).
 */
public final class SelfSignedCert {
  private SelfSignedCert() {}

  /** A fresh EC P-256 key pair from the system's secure random source. */
  public static KeyPair newEcKeyPair() throws GeneralSecurityException {
    return SelfSignedCertificates.generateP256KeyPair();
  }

  /**
   * Issues a certificate for {@code keys} (Ed25519, EC P-256 or P-384), valid from one minute ago
   * for {@code validity}, with subject and issuer {@code CN=commonName}.
   */
  public static X509Certificate create(KeyPair keys, String commonName, Duration validity)
      throws GeneralSecurityException {
    Instant now = Instant.now();
    try {
      return SelfSignedCertificates.issue(keys, commonName, now.minusSeconds(60),
          now.plus(validity));
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException(e.getMessage(), e);
    }
  }
}
