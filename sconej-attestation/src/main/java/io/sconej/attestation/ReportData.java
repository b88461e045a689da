package io.sconej.attestation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;

/**
 * The 64 bytes of report data that bind evidence to one channel and one CAS nonce:
 *
 * <pre>
 * reportData = SHA-512( "sconej-report-data-v1" || u32be(len(spki)) || spki || u32be(len(nonce)) || nonce )
 * </pre>
 *
 * where {@code spki} is the DER SubjectPublicKeyInfo of the runtime's TLS client key and {@code
 * nonce} the CAS-issued nonce. Evidence replayed on another channel, or with another nonce, does
 * not match.
 */
public final class ReportData {
  /** Report data length in SGX/TDX reports. */
  public static final int LENGTH_BYTES = 64;

  private static final byte[] DOMAIN = "sconej-report-data-v1".getBytes(StandardCharsets.US_ASCII);

  private ReportData() {}

  /** Computes the binding for a channel key and a nonce. */
  public static byte[] bind(byte[] channelKeySpki, byte[] nonce) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-512");
      md.update(DOMAIN);
      md.update(u32(channelKeySpki.length));
      md.update(channelKeySpki);
      md.update(u32(nonce.length));
      md.update(nonce);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 missing from the JDK", e);
    }
  }

  /**
   * Computes the binding for the key of a TLS peer's certificate (what a CAS sees in the handshake)
   * and a nonce: {@code bind(certificate.getPublicKey().getEncoded(), nonce)}.
   */
  public static byte[] bind(X509Certificate certificate, byte[] nonce) {
    return bind(certificate.getPublicKey().getEncoded(), nonce);
  }

  private static byte[] u32(int v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }
}
