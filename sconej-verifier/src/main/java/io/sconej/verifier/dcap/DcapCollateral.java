package io.sconej.verifier.dcap;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The collateral needed to verify a DCAP quote fully: Intel's signed TCB info for the platform's
 * FMSPC and signed QE identity (each as the exact signed JSON text, the raw r||s ECDSA signature
 * and its issuer chain), the Root CA CRL and the PCK CRL. Nothing here is trusted until {@link
 * DcapVerifier#verify} has checked it; the loaders only parse.
 *
 * @param tcbInfoJson the exact signed text of the {@code tcbInfo} object
 * @param tcbInfoSignature 64-byte r||s ECDSA P-256 signature over {@code tcbInfoJson} (UTF-8)
 * @param tcbInfoIssuerChain TCB signing certificate first, then up to the root
 * @param qeIdentityJson the exact signed text of the {@code enclaveIdentity} object
 * @param qeIdentitySignature 64-byte r||s signature over {@code qeIdentityJson}
 * @param qeIdentityIssuerChain TCB signing certificate first, then up to the root
 * @param rootCaCrl CRL of the Intel SGX Root CA
 * @param pckCrl CRL of the PCK issuing CA (Processor or Platform CA) of the quote's PCK
 */
public record DcapCollateral(
    String tcbInfoJson,
    byte[] tcbInfoSignature,
    List<X509Certificate> tcbInfoIssuerChain,
    String qeIdentityJson,
    byte[] qeIdentitySignature,
    List<X509Certificate> qeIdentityIssuerChain,
    X509CRL rootCaCrl,
    X509CRL pckCrl) {

  /** Copies and null-checks every component. */
  public DcapCollateral {
    Objects.requireNonNull(tcbInfoJson, "tcbInfoJson");
    tcbInfoSignature = Objects.requireNonNull(tcbInfoSignature, "tcbInfoSignature").clone();
    tcbInfoIssuerChain = List.copyOf(tcbInfoIssuerChain);
    Objects.requireNonNull(qeIdentityJson, "qeIdentityJson");
    qeIdentitySignature =
        Objects.requireNonNull(qeIdentitySignature, "qeIdentitySignature").clone();
    qeIdentityIssuerChain = List.copyOf(qeIdentityIssuerChain);
    Objects.requireNonNull(rootCaCrl, "rootCaCrl");
    Objects.requireNonNull(pckCrl, "pckCrl");
  }

  @Override
  public byte[] tcbInfoSignature() {
    return tcbInfoSignature.clone();
  }

  @Override
  public byte[] qeIdentitySignature() {
    return qeIdentitySignature.clone();
  }

  /**
   * Loads the JSON collateral format of Phala's dcap-qvl: an object with the string members {@code
   * pck_crl_issuer_chain}, {@code root_ca_crl} (hex DER), {@code pck_crl} (hex DER), {@code
   * tcb_info_issuer_chain} (PEM), {@code tcb_info} (signed JSON text), {@code tcb_info_signature}
   * (hex r||s), {@code qe_identity_issuer_chain}, {@code qe_identity}, {@code
   * qe_identity_signature}. The PCK CRL issuer chain is parsed but not kept: the verifier checks
   * the PCK CRL against the PCK certificate's own issuer from the quote.
   *
   * @throws DcapVerificationException MALFORMED_COLLATERAL or MALFORMED_CERTIFICATE naming the
   *     member
   */
  public static DcapCollateral fromDcapQvlJson(String json) throws DcapVerificationException {
    JsonObject o = JsonObject.of(JsonObject.parse(json, "collateral"), "collateral");
    Pki.parsePemChain(bytes(o.string("pck_crl_issuer_chain")), "pck_crl_issuer_chain");
    return new DcapCollateral(
        o.string("tcb_info"),
        hex(o, "tcb_info_signature", 64),
        Pki.parsePemChain(bytes(o.string("tcb_info_issuer_chain")), "tcb_info_issuer_chain"),
        o.string("qe_identity"),
        hex(o, "qe_identity_signature", 64),
        Pki.parsePemChain(bytes(o.string("qe_identity_issuer_chain")), "qe_identity_issuer_chain"),
        Pki.parseCrl(hex(o, "root_ca_crl", -1), "root_ca_crl"),
        Pki.parseCrl(hex(o, "pck_crl", -1), "pck_crl"));
  }

  /**
   * Loads collateral as Intel's PCS (and PCCS) serve it: the bodies of the TCB info and QE identity
   * responses ({@code {"tcbInfo":{...},"signature":"hex"}} and {@code
   * {"enclaveIdentity":{...},"signature":"hex"}}), the issuer chain from their {@code
   * *-Issuer-Chain} header (PEM, URL-decoded; the same TCB signing chain signs both), and the DER
   * PCK CRL and Root CA CRL.
   *
   * @throws DcapVerificationException MALFORMED_COLLATERAL or MALFORMED_CERTIFICATE naming the part
   */
  public static DcapCollateral fromPcsResponses(
      String tcbInfoResponse,
      String qeIdentityResponse,
      String tcbSigningChainPem,
      byte[] pckCrlDer,
      byte[] rootCaCrlDer)
      throws DcapVerificationException {
    Map<String, String> tcb = JsonObject.rawMembers(tcbInfoResponse, "TCB info response");
    Map<String, String> qe = JsonObject.rawMembers(qeIdentityResponse, "QE identity response");
    List<X509Certificate> chain = Pki.parsePemChain(bytes(tcbSigningChainPem), "TCB signing chain");
    return new DcapCollateral(
        member(tcb, "tcbInfo", "TCB info response"),
        signature(tcb, "TCB info response"),
        chain,
        member(qe, "enclaveIdentity", "QE identity response"),
        signature(qe, "QE identity response"),
        chain,
        Pki.parseCrl(rootCaCrlDer.clone(), "root CA CRL"),
        Pki.parseCrl(pckCrlDer.clone(), "PCK CRL"));
  }

  private static String member(Map<String, String> m, String key, String what)
      throws DcapVerificationException {
    String v = m.get(key);
    if (v == null || !v.startsWith("{")) {
      throw JsonObject.fail(what + "." + key, "missing or not an object");
    }
    return v;
  }

  private static byte[] signature(Map<String, String> m, String what)
      throws DcapVerificationException {
    String v = m.get("signature");
    if (v == null || !v.matches("\"[0-9a-fA-F]{128}\"")) {
      throw JsonObject.fail(what + ".signature", "missing or not 64 bytes of hex");
    }
    return HexFormat.of().parseHex(v, 1, 129);
  }

  private static byte[] hex(JsonObject o, String key, int bytes) throws DcapVerificationException {
    String h = o.string(key);
    if ((bytes >= 0 && h.length() != 2 * bytes)
        || h.length() % 2 != 0
        || !h.matches("[0-9a-fA-F]*")) {
      throw JsonObject.fail(
          o.path() + "." + key, "not " + (bytes >= 0 ? bytes + " bytes of " : "") + "hex");
    }
    return HexFormat.of().parseHex(h);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
