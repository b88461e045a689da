package io.sconej.cas.client;

import java.util.Optional;

/**
 * A secret the CAS released to an attested service. {@link #toString()} never shows the values.
 *
 * @param kind ascii, binary (value in base64), ec (value = public key PEM) or x509 (value =
 *     certificate PEM followed by the session CA's certificate)
 * @param value the secret's value as defined by its kind
 * @param privateKeyPem for ec and x509, the PKCS#8 private key PEM; empty otherwise
 */
public record ReleasedSecret(String kind, String value, Optional<String> privateKeyPem) {
  @Override
  public String toString() {
    return "ReleasedSecret[kind=" + kind + ", value redacted]";
  }
}
