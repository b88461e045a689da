package io.sconej.attestation.x509;

import io.sconej.crypto.Rng;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;

/**
 * Issues self-signed X.509 v3 certificates for Ed25519, EC P-256 and EC P-384 keys with the JDK only
 * (a ~100-line DER writer instead of BouncyCastle, so that code loaded into the enclave stays
 * small).
 *
 * <p>The certificate: version 3, a random positive 127-bit serial, issuer = subject = {@code
 * CN=<commonName>}, the given validity (whole seconds), the key's SubjectPublicKeyInfo, signature
 * Ed25519 (RFC 8410), ecdsa-with-SHA256 (P-256) or ecdsa-with-SHA384 (P-384), and two extensions:
 * basicConstraints {@code CA:false} and a critical keyUsage {@code digitalSignature}. It is parsed
 * back with the JDK's {@link CertificateFactory} and its signature checked before it is returned.
 *
 * <p>Restrictions: Ed25519, P-256 and P-384 keys only; a self-signed certificate proves nothing by
 * itself, whoever trusts it must obtain it (or its key hash) by a trusted route.
 */
public final class SelfSignedCertificates {
  private static final String OID_ECDSA_SHA256 = "1.2.840.10045.4.3.2";
  private static final String OID_ECDSA_SHA384 = "1.2.840.10045.4.3.3";
  private static final String OID_ED25519 = "1.3.101.112";
  private static final String OID_COMMON_NAME = "2.5.4.3";
  private static final String OID_BASIC_CONSTRAINTS = "2.5.29.19";
  private static final String OID_KEY_USAGE = "2.5.29.15";
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  private SelfSignedCertificates() {}

  /** A fresh EC P-256 key pair from the JDK's default provider and {@link Rng}. */
  public static KeyPair generateP256KeyPair() {
    return generate("secp256r1");
  }

  /**
   * A fresh EC P-384 key pair. In a cold JVM it costs ~45 ms where P-256's first key costs ~85 ms
   * (the JDK builds a P-256 generator table first): used for short-lived keys on start-up paths.
   */
  public static KeyPair generateP384KeyPair() {
    return generate("secp384r1");
  }

  /**
   * A fresh Ed25519 key pair. What the enclave's start-up path signs with: its arithmetic shares
   * the X25519 field the TLS key exchange uses, and a cold JVM builds no table for it, where the
   * JDK's first P-256 key costs a ~60-point generator table (~80 ms of CPU).
   */
  public static KeyPair generateEd25519KeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
      g.initialize(255, Rng.secure());
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 missing from the JDK", e);
    }
  }

  /** Whether {@code key} is an Ed25519 key. */
  public static boolean isEd25519(java.security.Key key) {
    return (key instanceof java.security.interfaces.EdECKey k)
        && "Ed25519".equals(k.getParams().getName());
  }

  private static KeyPair generate(String curve) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec(curve), Rng.secure());
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC " + curve + " missing from the JDK", e);
    }
  }

  /**
   * Issues a self-signed certificate for {@code keys}.
   *
   * @param keys an Ed25519, EC P-256 or EC P-384 key pair
   * @param commonName the subject's and issuer's CN
   * @param notBefore start of validity (truncated to seconds)
   * @param notAfter end of validity (truncated to seconds), after {@code notBefore}
   * @throws IllegalArgumentException for another kind of key, a bad validity or an empty name
   */
  public static X509Certificate issue(
      KeyPair keys, String commonName, Instant notBefore, Instant notAfter) {
    boolean ed25519 = isEd25519(keys.getPublic()) && isEd25519(keys.getPrivate());
    int bits = keys.getPublic() instanceof ECPublicKey pub
        && keys.getPrivate() instanceof ECPrivateKey
        ? pub.getParams().getCurve().getField().getFieldSize() : 0;
    if (!ed25519 && bits != 256 && bits != 384) {
      throw new IllegalArgumentException(
          "self-signed certificates need an Ed25519, EC P-256 or EC P-384 key pair");
    }
    if (commonName.isEmpty() || !notAfter.isAfter(notBefore) || notAfter.isAfter(LATEST)) {
      throw new IllegalArgumentException(
          "certificate needs a non-empty name and notBefore < notAfter <= 9999-12-31");
    }
    byte[] algorithm = Der.sequence(
        Der.oid(ed25519 ? OID_ED25519 : bits == 256 ? OID_ECDSA_SHA256 : OID_ECDSA_SHA384));
    byte[] name =
        Der.sequence(
            Der.tlv(Der.SET, Der.sequence(Der.oid(OID_COMMON_NAME), Der.utf8String(commonName))));
    byte[] serial = Der.integer(new BigInteger(127, Rng.secure()).setBit(0));
    byte[] basicConstraints =
        Der.sequence(Der.oid(OID_BASIC_CONSTRAINTS), Der.tlv(Der.OCTET_STRING, Der.sequence()));
    byte[] keyUsage =
        Der.sequence(
            Der.oid(OID_KEY_USAGE),
            Der.tlv(Der.BOOLEAN, new byte[] {(byte) 0xff}),
            Der.tlv(Der.OCTET_STRING, Der.tlv(Der.BIT_STRING, new byte[] {7, (byte) 0x80})));
    byte[] tbs =
        Der.sequence(
            Der.explicit(0, Der.integer(BigInteger.TWO)),
            serial,
            algorithm,
            name,
            Der.sequence(Der.time(notBefore), Der.time(notAfter)),
            name,
            keys.getPublic().getEncoded(),
            Der.explicit(3, Der.sequence(basicConstraints, keyUsage)));
    try {
      Signature s = Signature.getInstance(
          ed25519 ? "Ed25519" : bits == 256 ? "SHA256withECDSA" : "SHA384withECDSA");
      s.initSign(keys.getPrivate(), Rng.secure());
      s.update(tbs);
      byte[] der = Der.sequence(tbs, algorithm, Der.bitString(s.sign()));
      X509Certificate cert =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(new ByteArrayInputStream(der));
      cert.verify(keys.getPublic());
      return cert;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not issue a self-signed certificate", e);
    }
  }
}
