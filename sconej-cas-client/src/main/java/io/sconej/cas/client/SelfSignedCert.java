package io.sconej.cas.client;

import io.sconej.crypto.Rng;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A minimal self-signed X.509 v3 certificate for an EC P-256 key, built with the JDK only (DER
 * written here) so the enclave needs no X.509 library. Used for the runtime's ephemeral TLS client
 * certificate and for owner identities; carries no extensions, so it can never act as a CA.
 *
 * <pre>
 * Certificate = SEQ{ tbs, SEQ{ecdsa-with-SHA256}, BIT STRING signature }
 * tbs = SEQ{ [0]{INTEGER 2}, INTEGER serial, SEQ{ecdsa-with-SHA256}, Name, SEQ{UTCTime, UTCTime},
 *            Name, SubjectPublicKeyInfo }
 * Name = SEQ{ SET{ SEQ{ OID 2.5.4.3, UTF8String commonName } } }
 * </pre>
 */
public final class SelfSignedCert {
  private static final byte[] ECDSA_SHA256 = {
    0x06, 0x08, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x04, 0x03, 0x02
  };
  private static final byte[] CN_OID = {0x06, 0x03, 0x55, 0x04, 0x03};
  private static final DateTimeFormatter UTC_TIME =
      DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

  private SelfSignedCert() {}

  /** A fresh EC P-256 key pair from the system's secure random source. */
  public static KeyPair newEcKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), Rng.secure());
    return g.generateKeyPair();
  }

  /**
   * Issues a certificate for {@code keys} (EC P-256), valid from one minute ago for {@code
   * validity}, with subject and issuer {@code CN=commonName}.
   */
  public static X509Certificate create(KeyPair keys, String commonName, Duration validity)
      throws GeneralSecurityException {
    byte[] serial = Rng.bytes(16);
    serial[0] &= 0x7F;
    serial[0] |= 0x01;
    Instant now = Instant.now();
    byte[] name = seq(set(seq(CN_OID, tlv(0x0C, commonName.getBytes(StandardCharsets.UTF_8)))));
    byte[] validityDer =
        seq(
            tlv(0x17, UTC_TIME.format(now.minusSeconds(60)).getBytes(StandardCharsets.US_ASCII)),
            tlv(0x17, UTC_TIME.format(now.plus(validity)).getBytes(StandardCharsets.US_ASCII)));
    byte[] tbs =
        seq(
            tlv(0xA0, tlv(0x02, new byte[] {2})),
            tlv(0x02, serial),
            seq(ECDSA_SHA256),
            name,
            validityDer,
            name,
            keys.getPublic().getEncoded());
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(keys.getPrivate(), Rng.secure());
    s.update(tbs);
    byte[] sig = s.sign();
    byte[] bits = new byte[sig.length + 1];
    System.arraycopy(sig, 0, bits, 1, sig.length);
    byte[] der = seq(tbs, seq(ECDSA_SHA256), tlv(0x03, bits));
    return (X509Certificate)
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }

  private static byte[] seq(byte[]... parts) {
    return tlv(0x30, concat(parts));
  }

  private static byte[] set(byte[]... parts) {
    return tlv(0x31, concat(parts));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      o.writeBytes(p);
    }
    return o.toByteArray();
  }

  private static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.write(tag);
    int n = value.length;
    if (n < 0x80) {
      o.write(n);
    } else if (n < 0x100) {
      o.write(0x81);
      o.write(n);
    } else {
      o.write(0x82);
      o.write(n >>> 8);
      o.write(n);
    }
    o.writeBytes(value);
    return o.toByteArray();
  }
}
