package io.sconej.cas;

import io.sconej.crypto.Rng;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * X.509 issuance for the CAS (BouncyCastle's builder, JDK providers for keys and signatures): the
 * CAS's self-signed CA certificate, per-session CA certificates and certificates for x509 secrets.
 */
final class X509Issuer {
  private X509Issuer() {}

  /**
   * A self-signed CA certificate with the given subject alternative names: IP address names for IP
   * literals, DNS names for the rest ({@link X509Names#isIpLiteral}).
   */
  static X509Certificate selfSignedCa(
      KeyPair keys, String cn, List<String> altNames, Duration validity)
      throws GeneralSecurityException {
    X500Name name = name(cn);
    return build(name, keys.getPrivate(), name, keys, altNames, validity, true);
  }

  /** A leaf certificate for {@code subject}'s key, signed by the CA. */
  static X509Certificate issue(
      KeyPair ca,
      X509Certificate caCert,
      KeyPair subject,
      String cn,
      List<String> dnsNames,
      Duration validity)
      throws GeneralSecurityException {
    X500Name issuer = X500Name.getInstance(caCert.getSubjectX500Principal().getEncoded());
    return build(issuer, ca.getPrivate(), name(cn), subject, dnsNames, validity, false);
  }

  private static X509Certificate build(
      X500Name issuer,
      PrivateKey signer,
      X500Name subject,
      KeyPair subjectKeys,
      List<String> altNames,
      Duration validity,
      boolean ca)
      throws GeneralSecurityException {
    Instant now = Instant.now();
    byte[] serial = Rng.bytes(16);
    serial[0] &= 0x7F;
    var b =
        new JcaX509v3CertificateBuilder(
            issuer,
            new BigInteger(1, serial).add(BigInteger.ONE),
            Date.from(now.minusSeconds(60)),
            Date.from(now.plus(validity)),
            subject,
            subjectKeys.getPublic());
    try {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      b.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(
              ca
                  ? KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature
                  : KeyUsage.digitalSignature | KeyUsage.keyAgreement));
      if (!altNames.isEmpty()) {
        List<GeneralName> names = new ArrayList<>();
        for (String a : altNames) {
          boolean ip = X509Names.isIpLiteral(a);
          names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, a));
        }
        b.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(names.toArray(new GeneralName[0])));
      }
      var signerOp = new JcaContentSignerBuilder(signatureAlgorithm(signer)).build(signer);
      return new JcaX509CertificateConverter().getCertificate(b.build(signerOp));
    } catch (CertIOException | OperatorCreationException e) {
      throw new GeneralSecurityException("cannot issue certificate for " + subject, e);
    }
  }

  /** Ed25519 for an Ed25519 key (the CAS's own identity), else ECDSA with SHA-256. */
  private static String signatureAlgorithm(PrivateKey signer) {
    return io.sconej.attestation.x509.SelfSignedCertificates.isEd25519(signer)
        ? "Ed25519"
        : "SHA256withECDSA";
  }

  private static X500Name name(String cn) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).build();
  }
}
