package io.sconej.verifier.dcap;

import io.sconej.verifier.dcap.DcapVerificationException.Reason;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EllipticCurve;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Verifies Intel SGX (v3/v4) and TDX (v4) DCAP ECDSA quotes against a pinned root public key and
 * Intel collateral, at an explicit time. Thread-safe and immutable.
 *
 * <p>Security guarantees: a returned {@link DcapVerifiedQuote} means the quote's header and body
 * were signed by an attestation key that Intel's Quoting Enclave vouched for (QE report signed by a
 * PCK certificate chaining to the pinned root, neither revoked), that the QE matches Intel's signed
 * QE identity, and that the TCB status was derived from signed, current TCB info for the platform's
 * FMSPC. Check order and reasons: {@code docs/formats/dcap.md}.
 *
 * <p>Restrictions: the caller must itself check the measurement, signer, debug flag, report data
 * (nonce and key binding) and which {@link TcbStatus} it tolerates. Only ECDSA P-256 attestation
 * keys and PCK-chain certification data (type 5) are supported; TDX 1.5 (v5) quotes are refused.
 */
public final class DcapVerifier {
  private static final String INTEL_SGX_ROOT_SPKI =
      "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEC6nEwMDIYZOj/iPWsCzaEKi71OiOSLRFhWGjbnBVJfVnkY4u3IjkDYYL"
          + "0MxO4mqsyYjlBalTVYxFP2sJBK5zlA==";
  private final PublicKey root;
  private final byte[] rootSpkiSha256;

  private DcapVerifier(PublicKey root) {
    this.root = root;
    this.rootSpkiSha256 = Pki.spkiSha256(root);
  }

  /** A verifier pinned to the public key of {@code rootCertificate} (not to its bytes). */
  public static DcapVerifier create(X509Certificate rootCertificate) {
    return new DcapVerifier(Objects.requireNonNull(rootCertificate, "root").getPublicKey());
  }

  /** A verifier pinned to {@code rootPublicKey}. */
  public static DcapVerifier create(PublicKey rootPublicKey) {
    return new DcapVerifier(Objects.requireNonNull(rootPublicKey, "root"));
  }

  /** A verifier pinned to the public key of the Intel SGX Root CA (built in). */
  public static DcapVerifier createForIntelRoot() {
    try {
      return create(
          KeyFactory.getInstance("EC")
              .generatePublic(
                  new X509EncodedKeySpec(Base64.getDecoder().decode(INTEL_SGX_ROOT_SPKI))));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("built-in Intel root key does not decode", e);
    }
  }

  /** The quote, parsed, with its PCK chain validated and all three quote signatures checked. */
  record SignedQuote(DcapQuote quote, List<X509Certificate> pckChain) {}

  /**
   * Verifies a quote fully.
   *
   * @param quote the quote bytes
   * @param collateral the collateral for the quote's FMSPC and TEE type
   * @param now the verification time: every certificate, CRL, TCB info and QE identity must be
   *     valid then
   * @return what the quote attests, with its TCB status
   * @throws DcapVerificationException with one precise {@link Reason}
   */
  public DcapVerifiedQuote verify(byte[] quote, DcapCollateral collateral, Instant now)
      throws DcapVerificationException {
    Objects.requireNonNull(collateral, "collateral");
    Objects.requireNonNull(now, "now");
    SignedQuote sq = verifySignatures(quote, now);
    DcapQuote q = sq.quote();
    X509Certificate pck = sq.pckChain().get(0);
    X509Certificate pckCa = sq.pckChain().get(1);
    X509Certificate rootCert = sq.pckChain().get(sq.pckChain().size() - 1);
    // Revocation: root CA CRL (signed by the pinned root) and PCK CRL (signed by the PCK's CA).
    X509CRL rootCrl = collateral.rootCaCrl();
    Pki.checkCrl(
        rootCrl, rootCert, sq.pckChain().get(sq.pckChain().size() - 2), now, "root CA CRL");
    Pki.checkCrl(collateral.pckCrl(), pckCa, pck, now, "PCK CRL");
    // TCB info and QE identity: signer chains, signatures, windows.
    checkSigned(
        collateral.tcbInfoJson(),
        collateral.tcbInfoSignature(),
        collateral.tcbInfoIssuerChain(),
        rootCrl,
        now,
        "tcbInfo");
    checkSigned(
        collateral.qeIdentityJson(),
        collateral.qeIdentitySignature(),
        collateral.qeIdentityIssuerChain(),
        rootCrl,
        now,
        "qeIdentity");
    TcbInfo tcb = TcbInfo.parse(collateral.tcbInfoJson());
    QeIdentity qeId = QeIdentity.parse(collateral.qeIdentityJson());
    checkWindow(tcb.issueDate(), tcb.nextUpdate(), now, "tcbInfo");
    checkWindow(qeId.issueDate(), qeId.nextUpdate(), now, "qeIdentity");
    boolean tdx = q.teeType() == TeeType.TDX;
    if (!tcb.id().equals(tdx ? "TDX" : "SGX") || !qeId.id().equals(tdx ? "TD_QE" : "QE")) {
      throw new DcapVerificationException(
          Reason.COLLATERAL_MISMATCH,
          "collateral ids "
              + tcb.id()
              + "/"
              + qeId.id()
              + " do not fit a "
              + q.teeType()
              + " quote");
    }
    PckExtension ext = PckExtension.of(pck);
    if (!Arrays.equals(ext.fmspc(), tcb.fmspc())) {
      throw new DcapVerificationException(
          Reason.FMSPC_MISMATCH,
          "PCK FMSPC " + hex(ext.fmspc()) + " differs from tcbInfo.fmspc " + hex(tcb.fmspc()));
    }
    if (!Arrays.equals(ext.pceId(), tcb.pceId())) {
      throw new DcapVerificationException(
          Reason.PCE_ID_MISMATCH,
          "PCK PCE-ID " + hex(ext.pceId()) + " differs from tcbInfo.pceId " + hex(tcb.pceId()));
    }
    TcbEvaluator.Outcome qeOutcome = checkQeIdentity(q.qeReport(), qeId);
    byte[] body = q.body();
    TcbEvaluator.Outcome outcome;
    if (tdx) {
      byte[] teeTcbSvn = Arrays.copyOfRange(body, 0, 16);
      outcome = TcbEvaluator.platform(tcb, ext, java.util.Optional.of(teeTcbSvn));
      var module =
          TcbEvaluator.tdxModule(
              tcb,
              teeTcbSvn,
              Arrays.copyOfRange(body, 64, 112),
              Arrays.copyOfRange(body, 112, 120));
      if (outcome.status() == TcbStatus.REVOKED) {
        throw new DcapVerificationException(Reason.TCB_REVOKED, "platform TCB level is Revoked");
      }
      if (module.isPresent()) {
        outcome = TcbEvaluator.converge(outcome, module.get(), "TDX module");
      }
    } else {
      outcome = TcbEvaluator.platform(tcb, ext, java.util.Optional.empty());
    }
    if (outcome.status() == TcbStatus.REVOKED) {
      throw new DcapVerificationException(Reason.TCB_REVOKED, "platform TCB level is Revoked");
    }
    outcome = TcbEvaluator.converge(outcome, qeOutcome, "QE");
    Instant expiry =
        min(
            tcb.nextUpdate(),
            qeId.nextUpdate(),
            rootCrl.getNextUpdate().toInstant(),
            collateral.pckCrl().getNextUpdate().toInstant());
    return tdx
        ? ReportBodies.tdx(body, outcome, ext.fmspc(), expiry)
        : ReportBodies.sgx(body, outcome, ext.fmspc(), expiry);
  }

  /**
   * Checks what the quote alone can prove: structure, PCK chain to the pinned root at {@code now},
   * QE report signature, attestation key binding, quote signature. Not sufficient for acceptance
   * (no revocation, TCB or QE identity check): hence package-private.
   */
  SignedQuote verifySignatures(byte[] quote, Instant now) throws DcapVerificationException {
    DcapQuote q = DcapQuote.parse(Objects.requireNonNull(quote, "quote"));
    List<X509Certificate> chain = Pki.parsePemChain(q.pckChainPem(), "PCK certificate chain");
    Pki.validateChain(chain, rootSpkiSha256, now, "PCK certificate chain");
    verifyWithPinnedRoot(chain.get(chain.size() - 1), "PCK certificate chain");
    if (!Pki.verifyP1363(chain.get(0).getPublicKey(), q.qeReport(), q.qeReportSignature())) {
      throw new DcapVerificationException(
          Reason.QE_REPORT_SIGNATURE_INVALID,
          "qe_report_signature does not verify with the PCK certificate's key");
    }
    byte[] qeReportData = Arrays.copyOfRange(q.qeReport(), 320, 384);
    byte[] expected = sha256(q.attestationKey(), q.qeAuthData());
    if (!MessageDigest.isEqual(Arrays.copyOf(qeReportData, 32), expected)
        || !Arrays.equals(qeReportData, 32, 64, new byte[32], 0, 32)) {
      throw new DcapVerificationException(
          Reason.ATTESTATION_KEY_BINDING_MISMATCH,
          "qe_report.report_data is not SHA-256(attestation_key || qe_auth_data) || zeros");
    }
    if (!Pki.verifyP1363(
        attestationKey(q.attestationKey()), q.signedRegion(), q.quoteSignature())) {
      throw new DcapVerificationException(
          Reason.QUOTE_SIGNATURE_INVALID,
          "quote_signature over header and body does not verify with the attestation key");
    }
    return new SignedQuote(q, chain);
  }

  private void verifyWithPinnedRoot(X509Certificate rootCert, String what)
      throws DcapVerificationException {
    try {
      rootCert.verify(root);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new DcapVerificationException(
          Reason.CERT_CHAIN_INVALID, what + ": root self-signature does not verify", e);
    }
  }

  private void checkSigned(
      String json,
      byte[] signature,
      List<X509Certificate> chain,
      X509CRL rootCrl,
      Instant now,
      String what)
      throws DcapVerificationException {
    Pki.validateChain(chain, rootSpkiSha256, now, what + " issuer chain");
    verifyWithPinnedRoot(chain.get(chain.size() - 1), what + " issuer chain");
    Pki.checkCrl(
        rootCrl, chain.get(chain.size() - 1), chain.get(chain.size() - 2), now, "root CA CRL");
    if (!Pki.verifyP1363(
        chain.get(0).getPublicKey(), json.getBytes(StandardCharsets.UTF_8), signature)) {
      throw new DcapVerificationException(
          Reason.COLLATERAL_SIGNATURE_INVALID,
          what + ": signature does not verify with its issuer chain's leaf key");
    }
  }

  private static void checkWindow(Instant issued, Instant next, Instant now, String what)
      throws DcapVerificationException {
    if (now.isBefore(issued) || now.isAfter(next)) {
      throw new DcapVerificationException(
          Reason.COLLATERAL_EXPIRED,
          what + ": not valid at " + now + " (issueDate " + issued + ", nextUpdate " + next + ")");
    }
  }

  private static TcbEvaluator.Outcome checkQeIdentity(byte[] report, QeIdentity id)
      throws DcapVerificationException {
    long miscselect = QuoteReader.u32(report, 16);
    if ((miscselect & id.miscselectMask()) != (id.miscselect() & id.miscselectMask())) {
      throw new DcapVerificationException(Reason.QE_IDENTITY_MISMATCH, "qe_report.miscselect");
    }
    for (int i = 0; i < 16; i++) {
      if (((report[48 + i] ^ id.attributes()[i]) & id.attributesMask()[i]) != 0) {
        throw new DcapVerificationException(Reason.QE_IDENTITY_MISMATCH, "qe_report.attributes");
      }
    }
    if (!Arrays.equals(report, 128, 160, id.mrsigner(), 0, 32)) {
      throw new DcapVerificationException(Reason.QE_IDENTITY_MISMATCH, "qe_report.mrsigner");
    }
    if (QuoteReader.u16(report, 256) != id.isvProdId()) {
      throw new DcapVerificationException(Reason.QE_IDENTITY_MISMATCH, "qe_report.isvprodid");
    }
    return TcbEvaluator.qe(id, QuoteReader.u16(report, 258));
  }

  private static PublicKey attestationKey(byte[] xy) throws DcapVerificationException {
    try {
      AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
      p.init(new ECGenParameterSpec("secp256r1"));
      ECParameterSpec spec = p.getParameterSpec(ECParameterSpec.class);
      BigInteger x = new BigInteger(1, Arrays.copyOfRange(xy, 0, 32));
      BigInteger y = new BigInteger(1, Arrays.copyOfRange(xy, 32, 64));
      EllipticCurve c = spec.getCurve();
      BigInteger prime = ((java.security.spec.ECFieldFp) c.getField()).getP();
      BigInteger rhs = x.pow(3).add(c.getA().multiply(x)).add(c.getB()).mod(prime);
      if (x.compareTo(prime) >= 0 || y.compareTo(prime) >= 0 || !y.pow(2).mod(prime).equals(rhs)) {
        throw new DcapVerificationException(
            Reason.QUOTE_SIGNATURE_INVALID, "attestation_key is not a point on P-256");
      }
      return KeyFactory.getInstance("EC")
          .generatePublic(new ECPublicKeySpec(new ECPoint(x, y), spec));
    } catch (GeneralSecurityException e) {
      if (e instanceof DcapVerificationException d) {
        throw d;
      }
      throw new DcapVerificationException(
          Reason.QUOTE_SIGNATURE_INVALID, "attestation_key does not decode", e);
    }
  }

  private static byte[] sha256(byte[] a, byte[] b) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(a);
      return md.digest(b);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  private static Instant min(Instant... all) {
    return Arrays.stream(all).min(Instant::compareTo).orElseThrow();
  }

  static String hex(byte[] b) {
    return java.util.HexFormat.of().formatHex(b);
  }
}
