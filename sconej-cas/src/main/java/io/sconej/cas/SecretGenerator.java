package io.sconej.cas;

import io.sconej.cas.client.Pem;
import io.sconej.cas.client.SelfSignedCert;
import io.sconej.crypto.Rng;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Generates secrets inside the CAS: ascii (letters and digits, uniformly chosen), binary (random
 * bytes), ec (P-256 key pair), x509 (P-256 key and a certificate issued by the session's CA).
 */
final class SecretGenerator {
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  static final Duration CERT_VALIDITY = Duration.ofDays(365);

  private SecretGenerator() {}

  /** A session CA: key pair and self-signed CA certificate named after the session. */
  static SessionCa newSessionCa(String session) throws GeneralSecurityException {
    KeyPair k = SelfSignedCert.newEcKeyPair();
    X509Certificate c =
        X509Issuer.selfSignedCa(
            k, "sconej session CA " + session, java.util.List.of(), Duration.ofDays(3650));
    return new SessionCa(k, c);
  }

  /**
   * A session's CA.
   *
   * @param keys its key pair
   * @param cert its self-signed certificate
   */
  record SessionCa(KeyPair keys, X509Certificate cert) {
    @Override
    public String toString() {
      return "SessionCa[" + cert.getSubjectX500Principal() + ", key redacted]";
    }
  }

  /** Generates one secret. */
  static GeneratedSecret generate(SessionPolicy.SecretSpec spec, SessionCa ca)
      throws GeneralSecurityException {
    SecureRandom r = Rng.secure();
    return switch (spec.kind()) {
      case "ascii" -> {
        StringBuilder b = new StringBuilder(spec.length());
        for (int i = 0; i < spec.length(); i++) {
          b.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        }
        yield new GeneratedSecret(spec, b.toString(), Optional.empty());
      }
      case "binary" ->
          new GeneratedSecret(
              spec, Base64.getEncoder().encodeToString(Rng.bytes(spec.length())), Optional.empty());
      case "ec" -> {
        KeyPair k = SelfSignedCert.newEcKeyPair();
        yield new GeneratedSecret(
            spec,
            Pem.encode("PUBLIC KEY", k.getPublic().getEncoded()),
            Optional.of(Pem.encode("PRIVATE KEY", k.getPrivate().getEncoded())));
      }
      case "x509" -> {
        KeyPair k = SelfSignedCert.newEcKeyPair();
        X509Certificate c =
            X509Issuer.issue(
                ca.keys(), ca.cert(), k, spec.commonName(), spec.dnsNames(), CERT_VALIDITY);
        yield new GeneratedSecret(
            spec,
            Pem.encode("CERTIFICATE", c.getEncoded())
                + Pem.encode("CERTIFICATE", ca.cert().getEncoded()),
            Optional.of(Pem.encode("PRIVATE KEY", k.getPrivate().getEncoded())));
      }
      default -> throw new IllegalArgumentException("unknown secret kind " + spec.kind());
    };
  }
}
