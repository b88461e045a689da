package io.sconej.cas;

import java.util.Optional;

/**
 * A secret value the CAS generated for a session; {@link #toString()} never shows it.
 *
 * @param spec the specification it was generated from (regenerated only if that changes)
 * @param value ascii text, base64 of binary, public key PEM (ec) or certificate chain PEM (x509)
 * @param privateKeyPem the PKCS#8 private key PEM for ec and x509
 */
record GeneratedSecret(
    SessionPolicy.SecretSpec spec, String value, Optional<String> privateKeyPem) {
  @Override
  public String toString() {
    return "GeneratedSecret[" + spec.name() + ", " + spec.kind() + ", redacted]";
  }
}
