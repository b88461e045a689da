package io.sconej.cas.client;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.HexFormat;
import java.util.List;

/**
 * PEM encoding and decoding of certificates and PKCS#8 EC private keys, and certificate
 * fingerprints (lower-case hex SHA-256 of the DER), the identity the CAS's access control uses.
 */
public final class Pem {
  private Pem() {}

  /** Encodes DER as one PEM block of the given type ("CERTIFICATE", "PRIVATE KEY"). */
  public static String encode(String type, byte[] der) {
    return io.sconej.crypto.Pem.encode(type, der);
  }

  /**
   * The DER contents of every block of {@code type} in {@code text}, in order.
   *
   * @throws GeneralSecurityException if a block is unterminated or not base64
   */
  public static List<byte[]> decode(String text, String type) throws GeneralSecurityException {
    try {
      return io.sconej.crypto.Pem.decode(text, type);
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException(e.getMessage());
    }
  }

  /** Parses the first certificate in {@code text}. */
  public static X509Certificate certificate(String text) throws GeneralSecurityException {
    List<byte[]> ders = decode(text, "CERTIFICATE");
    if (ders.isEmpty()) {
      throw new GeneralSecurityException("no PEM CERTIFICATE block found");
    }
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(ders.get(0)));
  }

  /** Parses the first PKCS#8 EC private key in {@code text}. */
  public static PrivateKey ecPrivateKey(String text) throws GeneralSecurityException {
    List<byte[]> ders = decode(text, "PRIVATE KEY");
    if (ders.isEmpty()) {
      throw new GeneralSecurityException("no PEM PRIVATE KEY block found");
    }
    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(ders.get(0)));
  }

  /** Lower-case hex SHA-256 of a certificate's DER encoding. */
  public static String fingerprint(X509Certificate cert) throws GeneralSecurityException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
  }
}
