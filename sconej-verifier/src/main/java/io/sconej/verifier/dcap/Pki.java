package io.sconej.verifier.dcap;

import io.sconej.verifier.dcap.DcapVerificationException.Reason;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;

/** Strict PEM/DER parsing, chain validation to a pinned key, CRL and ECDSA helpers. */
final class Pki {
  private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
  private static final String END = "-----END CERTIFICATE-----";
  private static final int MAX_CHAIN = 5;
  private static final Set<String> KNOWN_CRITICAL =
      Set.of("2.5.29.19" /* basicConstraints */, "2.5.29.15" /* keyUsage */);

  private Pki() {}

  /**
   * Parses concatenated PEM certificates strictly: only CR, LF and NUL may surround the blocks and
   * break their lines, and the base64 must be canonical, so no byte of the PEM can change without
   * being refused.
   */
  static List<X509Certificate> parsePemChain(byte[] pem, String what)
      throws DcapVerificationException {
    String text = new String(pem, StandardCharsets.US_ASCII);
    List<X509Certificate> out = new ArrayList<>();
    int pos = 0;
    while (true) {
      int begin = text.indexOf(BEGIN, pos);
      String gap = begin < 0 ? text.substring(pos) : text.substring(pos, begin);
      if (!gap.chars().allMatch(ch -> ch == '\n' || ch == '\r' || ch == 0)) {
        throw new DcapVerificationException(
            Reason.MALFORMED_CERTIFICATE, what + ": unexpected text outside PEM blocks");
      }
      if (begin < 0) {
        break;
      }
      int end = text.indexOf(END, begin);
      if (end < 0) {
        throw new DcapVerificationException(
            Reason.MALFORMED_CERTIFICATE, what + ": certificate " + out.size() + " has no END");
      }
      byte[] der;
      try {
        String b64 =
            text.substring(begin + BEGIN.length(), end).replace("\r", "").replace("\n", "");
        der = Base64.getDecoder().decode(b64);
        if (!Base64.getEncoder().encodeToString(der).equals(b64)) {
          throw new IllegalArgumentException("non-canonical base64");
        }
      } catch (IllegalArgumentException e) {
        throw new DcapVerificationException(
            Reason.MALFORMED_CERTIFICATE, what + ": certificate " + out.size() + " bad base64", e);
      }
      out.add(parseDer(der, what + ": certificate " + out.size()));
      pos = end + END.length();
      if (out.size() > MAX_CHAIN) {
        throw new DcapVerificationException(
            Reason.MALFORMED_CERTIFICATE, what + ": more than " + MAX_CHAIN + " certificates");
      }
    }
    if (out.isEmpty()) {
      throw new DcapVerificationException(Reason.MALFORMED_CERTIFICATE, what + ": no certificate");
    }
    return List.copyOf(out);
  }

  static X509Certificate parseDer(byte[] der, String what) throws DcapVerificationException {
    try {
      X509Certificate c =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(new ByteArrayInputStream(der));
      if (!Arrays.equals(c.getEncoded(), der)) {
        throw new DcapVerificationException(
            Reason.MALFORMED_CERTIFICATE, what + ": not a single DER certificate");
      }
      return c;
    } catch (CertificateException | RuntimeException e) {
      throw new DcapVerificationException(Reason.MALFORMED_CERTIFICATE, what + ": " + e, e);
    }
  }

  static X509CRL parseCrl(byte[] der, String what) throws DcapVerificationException {
    try {
      X509CRL crl =
          (X509CRL)
              CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
      if (!Arrays.equals(crl.getEncoded(), der)) {
        throw new DcapVerificationException(
            Reason.MALFORMED_CERTIFICATE, what + ": not a single DER CRL");
      }
      return crl;
    } catch (CRLException | CertificateException | RuntimeException e) {
      throw new DcapVerificationException(Reason.MALFORMED_CERTIFICATE, what + ": " + e, e);
    }
  }

  static byte[] spkiSha256(PublicKey key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /**
   * Validates {@code chain} (leaf first) at {@code now}: the last certificate carries the pinned
   * key and is self-signed; each certificate is signed by the next, names it as issuer, and every
   * issuer is a CA; no unknown critical extension; every certificate is valid at {@code now}.
   */
  static void validateChain(
      List<X509Certificate> chain, byte[] pinnedSpkiSha256, Instant now, String what)
      throws DcapVerificationException {
    if (chain.size() < 2) {
      throw new DcapVerificationException(
          Reason.CERT_CHAIN_INVALID, what + ": needs at least a leaf and a root");
    }
    X509Certificate root = chain.get(chain.size() - 1);
    if (!MessageDigest.isEqual(spkiSha256(root.getPublicKey()), pinnedSpkiSha256)) {
      throw new DcapVerificationException(
          Reason.ROOT_NOT_PINNED,
          what
              + ": root '"
              + root.getSubjectX500Principal().getName()
              + "' does not carry the pinned public key");
    }
    for (int i = chain.size() - 1; i >= 0; i--) {
      X509Certificate c = chain.get(i);
      X509Certificate issuer = chain.get(Math.min(i + 1, chain.size() - 1));
      String name =
          what + ": certificate " + i + " ('" + c.getSubjectX500Principal().getName() + "')";
      if (!c.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
        throw new DcapVerificationException(
            Reason.CERT_CHAIN_INVALID, name + ": issuer name does not match the next certificate");
      }
      if (issuer.getBasicConstraints() < 0) {
        throw new DcapVerificationException(
            Reason.CERT_CHAIN_INVALID, name + ": issuer is not a CA");
      }
      try {
        c.verify(issuer.getPublicKey());
      } catch (GeneralSecurityException | RuntimeException e) {
        throw new DcapVerificationException(
            Reason.CERT_CHAIN_INVALID, name + ": signature does not verify", e);
      }
      Set<String> critical = c.getCriticalExtensionOIDs();
      if (critical != null && !KNOWN_CRITICAL.containsAll(critical)) {
        throw new DcapVerificationException(
            Reason.CERT_CHAIN_INVALID, name + ": unknown critical extension");
      }
      try {
        c.checkValidity(Date.from(now));
      } catch (CertificateExpiredException e) {
        throw new DcapVerificationException(Reason.CERT_EXPIRED, name + ": expired at " + now);
      } catch (CertificateNotYetValidException e) {
        throw new DcapVerificationException(
            Reason.CERT_EXPIRED, name + ": not yet valid at " + now);
      }
    }
  }

  /**
   * Checks that {@code crl} was signed by {@code issuer}, is current at {@code now}, and does not
   * list {@code subject}.
   */
  static void checkCrl(
      X509CRL crl, X509Certificate issuer, X509Certificate subject, Instant now, String what)
      throws DcapVerificationException {
    if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      throw new DcapVerificationException(
          Reason.COLLATERAL_MISMATCH,
          what
              + ": issued by '"
              + crl.getIssuerX500Principal().getName()
              + "', expected '"
              + issuer.getSubjectX500Principal().getName()
              + "'");
    }
    try {
      crl.verify(issuer.getPublicKey());
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new DcapVerificationException(
          Reason.COLLATERAL_SIGNATURE_INVALID, what + ": signature does not verify", e);
    }
    Date at = Date.from(now);
    if (crl.getThisUpdate().after(at)
        || crl.getNextUpdate() == null
        || crl.getNextUpdate().before(at)) {
      throw new DcapVerificationException(
          Reason.COLLATERAL_EXPIRED,
          what
              + ": not current at "
              + now
              + " (thisUpdate "
              + crl.getThisUpdate().toInstant()
              + ", nextUpdate "
              + (crl.getNextUpdate() == null ? "none" : crl.getNextUpdate().toInstant())
              + ")");
    }
    if (crl.isRevoked(subject)) {
      throw new DcapVerificationException(
          Reason.CERT_REVOKED,
          what
              + ": lists '"
              + subject.getSubjectX500Principal().getName()
              + "' serial "
              + subject.getSerialNumber().toString(16));
    }
  }

  /** Verifies a raw r||s ECDSA P-256 SHA-256 signature; false on any failure. */
  static boolean verifyP1363(PublicKey key, byte[] data, byte[] rs) {
    try {
      Signature sig = Signature.getInstance("SHA256withECDSAinP1363Format");
      sig.initVerify(key);
      sig.update(data);
      return sig.verify(rs);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
