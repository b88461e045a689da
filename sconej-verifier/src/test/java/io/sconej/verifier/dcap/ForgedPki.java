package io.sconej.verifier.dcap;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A complete fake Intel PKI (root with Intel's root name but another key, PCK CA, PCK leaf with the
 * real PCK's SGX extension, TCB signer) that re-signs the Phala SGX quote and its collateral, so
 * tests can exercise revocation and TCB statuses that real Intel keys cannot be made to sign.
 */
final class ForgedPki {
  static final Instant NOW = DcapTestData.PHALA_SGX_TIME;
  private static final String DN = ", O=Intel Corporation, L=Santa Clara, ST=CA, C=US";
  private static long serial = 1000;

  final KeyPair rootKey = ec();
  final KeyPair caKey = ec();
  final KeyPair pckKey = ec();
  final KeyPair tcbKey = ec();
  final X509Certificate root;
  final X509Certificate ca;
  final X509Certificate pck;
  final X509Certificate tcbSigner;

  ForgedPki(boolean caIsCa) throws Exception {
    X509Certificate realPck =
        Pki.parsePemChain(QuoteLayout.pemOf(DcapTestData.bytes(DcapTestData.PHALA_SGX)), "pck")
            .get(0);
    root = cert("CN=Intel SGX Root CA", rootKey, "CN=Intel SGX Root CA", rootKey, true, null);
    ca =
        cert("CN=Intel SGX PCK Processor CA", caKey, "CN=Intel SGX Root CA", rootKey, caIsCa, null);
    pck =
        cert(
            "CN=Intel SGX PCK Certificate",
            pckKey,
            "CN=Intel SGX PCK Processor CA",
            caKey,
            false,
            realPck);
    tcbSigner =
        cert("CN=Intel SGX TCB Signing", tcbKey, "CN=Intel SGX Root CA", rootKey, false, null);
  }

  static KeyPair ec() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate cert(
      String subject,
      KeyPair subjectKey,
      String issuer,
      KeyPair issuerKey,
      boolean isCa,
      X509Certificate copySgxExtensionFrom)
      throws Exception {
    var b =
        new JcaX509v3CertificateBuilder(
            new X500Name(issuer + DN),
            BigInteger.valueOf(serial++),
            Date.from(NOW.minus(400, ChronoUnit.DAYS)),
            Date.from(NOW.plus(400, ChronoUnit.DAYS)),
            new X500Name(subject + DN),
            subjectKey.getPublic());
    if (isCa) {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    }
    if (copySgxExtensionFrom != null) {
      byte[] ext = copySgxExtensionFrom.getExtensionValue("1.2.840.113741.1.13.1");
      b.addExtension(
          new ASN1ObjectIdentifier("1.2.840.113741.1.13.1"),
          false,
          ASN1OctetString.getInstance(ext).getOctets());
    }
    return new JcaX509CertificateConverter()
        .getCertificate(
            b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate())));
  }

  X509CRL crl(X509Certificate issuer, KeyPair issuerKey, X509Certificate... revoked)
      throws Exception {
    var b =
        new X509v2CRLBuilder(
            X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()),
            Date.from(NOW.minus(1, ChronoUnit.DAYS)));
    b.setNextUpdate(Date.from(NOW.plus(10, ChronoUnit.DAYS)));
    for (X509Certificate r : revoked) {
      b.addCRLEntry(
          r.getSerialNumber(), Date.from(NOW.minus(2, ChronoUnit.DAYS)), CRLReason.keyCompromise);
    }
    return new JcaX509CRLConverter()
        .getCRL(
            b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate())));
  }

  static byte[] sign(PrivateKey k, byte[] data) throws Exception {
    Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
    s.initSign(k);
    s.update(data);
    return s.sign();
  }

  static String pem(X509Certificate... certs) throws Exception {
    StringBuilder b = new StringBuilder();
    for (X509Certificate c : certs) {
      b.append("-----BEGIN CERTIFICATE-----\n")
          .append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(c.getEncoded()))
          .append("\n-----END CERTIFICATE-----\n");
    }
    return b.toString();
  }

  /** The Phala SGX quote re-signed: new attestation key, QE report signed by the forged PCK. */
  byte[] quote() throws Exception {
    byte[] q =
        QuoteLayout.withPem(
            DcapTestData.bytes(DcapTestData.PHALA_SGX),
            pem(pck, ca, root).getBytes(StandardCharsets.US_ASCII));
    QuoteLayout l = QuoteLayout.of(q);
    KeyPair att = ec();
    ECPublicKey pub = (ECPublicKey) att.getPublic();
    byte[] xy = new byte[64];
    put32(pub.getW().getAffineX(), xy, 0);
    put32(pub.getW().getAffineY(), xy, 32);
    System.arraycopy(xy, 0, q, l.attKey(), 64);
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    md.update(xy);
    md.update(q, l.auth(), l.certType() - l.auth());
    byte[] bind = md.digest();
    System.arraycopy(bind, 0, q, l.qeReport() + 320, 32);
    Arrays.fill(q, l.qeReport() + 352, l.qeReport() + 384, (byte) 0);
    byte[] qeSig =
        sign(pckKey.getPrivate(), Arrays.copyOfRange(q, l.qeReport(), l.qeReport() + 384));
    System.arraycopy(qeSig, 0, q, l.qeReportSig(), 64);
    byte[] quoteSig = sign(att.getPrivate(), Arrays.copyOfRange(q, 0, l.sigLen()));
    System.arraycopy(quoteSig, 0, q, l.quoteSig(), 64);
    return q;
  }

  private static void put32(BigInteger v, byte[] out, int off) {
    byte[] b = v.toByteArray();
    int n = Math.min(b.length, 32);
    System.arraycopy(b, b.length - n, out, off + 32 - n, n);
  }

  /** Collateral re-signed by the forged TCB signer, with the given JSON and CRLs. */
  DcapCollateral collateral(String tcbInfo, String qeIdentity, X509CRL rootCrl, X509CRL pckCrl)
      throws Exception {
    List<X509Certificate> chain = List.of(tcbSigner, root);
    return new DcapCollateral(
        tcbInfo,
        sign(tcbKey.getPrivate(), tcbInfo.getBytes(StandardCharsets.UTF_8)),
        chain,
        qeIdentity,
        sign(tcbKey.getPrivate(), qeIdentity.getBytes(StandardCharsets.UTF_8)),
        chain,
        rootCrl,
        pckCrl);
  }

  DcapCollateral collateral(String tcbInfo, String qeIdentity) throws Exception {
    return collateral(tcbInfo, qeIdentity, crl(root, rootKey), crl(ca, caKey));
  }
}
