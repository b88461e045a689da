package io.sconej.runtime;

import io.sconej.crypto.Hex;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.regex.Pattern;

/**
 * The identity of a CAS, as the enclave's measurement binds it: the SHA-256 of its certificate's
 * DER SubjectPublicKeyInfo, 64 lower-case hex digits. The CAS presents its self-signed CA
 * certificate as its TLS certificate and the enclave pins that certificate (PinnedCasTrust in
 * sconej-cas-client), so the key of the CAS the enclave talks to is the key of {@code --cas-ca}.
 */
public final class CasIdentity {
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

  private CasIdentity() {}

  /** The identity of the CAS whose certificate is {@code cert}. */
  public static String of(X509Certificate cert) {
    try {
      return Hex.encode(MessageDigest.getInstance("SHA-256")
          .digest(cert.getPublicKey().getEncoded()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }

  /**
   * Checks the text form.
   *
   * @throws IllegalArgumentException unless {@code hex} is 64 lower-case hex digits
   */
  public static String parse(String hex) {
    if (!HEX64.matcher(hex).matches()) {
      throw new IllegalArgumentException("a CAS identity is the SHA-256 of the CAS key, 64"
          + " lower-case hex digits, not '" + (hex.length() > 80 ? hex.substring(0, 80) + "..."
          : hex) + "'");
    }
    return hex;
  }
}
