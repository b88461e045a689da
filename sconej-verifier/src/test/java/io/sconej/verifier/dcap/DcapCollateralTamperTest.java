package io.sconej.verifier.dcap;

import static io.sconej.verifier.dcap.DcapQuoteTamperTest.refuse;
import static io.sconej.verifier.dcap.DcapTestData.PHALA_SGX;
import static io.sconej.verifier.dcap.DcapTestData.PHALA_SGX_TIME;
import static io.sconej.verifier.dcap.DcapTestData.PHALA_TDX;
import static io.sconej.verifier.dcap.DcapTestData.PHALA_TDX_TIME;
import static io.sconej.verifier.dcap.DcapTestData.bytes;
import static io.sconej.verifier.dcap.DcapTestData.phalaSgx;
import static io.sconej.verifier.dcap.DcapTestData.phalaTdx;
import static io.sconej.verifier.dcap.DcapTestData.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.verifier.dcap.DcapVerificationException.Reason;
import java.security.cert.X509CRL;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tampered, swapped, stale and mismatched collateral, and verification times out of range. */
class DcapCollateralTamperTest {
  private final byte[] sgx = bytes(PHALA_SGX);

  private static DcapCollateral withTcbInfo(DcapCollateral c, String json) {
    return new DcapCollateral(
        json,
        c.tcbInfoSignature(),
        c.tcbInfoIssuerChain(),
        c.qeIdentityJson(),
        c.qeIdentitySignature(),
        c.qeIdentityIssuerChain(),
        c.rootCaCrl(),
        c.pckCrl());
  }

  private static DcapCollateral withQeIdentity(DcapCollateral c, String json) {
    return new DcapCollateral(
        c.tcbInfoJson(),
        c.tcbInfoSignature(),
        c.tcbInfoIssuerChain(),
        json,
        c.qeIdentitySignature(),
        c.qeIdentityIssuerChain(),
        c.rootCaCrl(),
        c.pckCrl());
  }

  private static DcapCollateral withCrls(DcapCollateral c, X509CRL root, X509CRL pck) {
    return new DcapCollateral(
        c.tcbInfoJson(),
        c.tcbInfoSignature(),
        c.tcbInfoIssuerChain(),
        c.qeIdentityJson(),
        c.qeIdentitySignature(),
        c.qeIdentityIssuerChain(),
        root,
        pck);
  }

  @Test
  void tamperedTcbInfoIsRefused() throws Exception {
    DcapCollateral c = phalaSgx();
    String json = c.tcbInfoJson();
    for (String[] edit :
        new String[][] {
          {"OutOfDate", "UpToDate"}, {"SWHardeningNeeded", "UpToDate"},
          {"INTEL-SA-00289", "INTEL-SA-00000"}, {"2025-07-19", "2035-07-19"},
          {"00A067110000", "00A067110001"}
        }) {
      assertTrue(json.contains(edit[0]), edit[0]);
      assertEquals(
          Reason.COLLATERAL_SIGNATURE_INVALID,
          refuse(sgx, withTcbInfo(c, json.replaceFirst(edit[0], edit[1])), PHALA_SGX_TIME));
    }
    assertEquals(
        Reason.COLLATERAL_SIGNATURE_INVALID,
        refuse(sgx, withTcbInfo(c, json + " "), PHALA_SGX_TIME));
    byte[] sig = c.tcbInfoSignature();
    sig[5] ^= 1;
    assertEquals(
        Reason.COLLATERAL_SIGNATURE_INVALID,
        refuse(
            sgx,
            new DcapCollateral(
                json,
                sig,
                c.tcbInfoIssuerChain(),
                c.qeIdentityJson(),
                c.qeIdentitySignature(),
                c.qeIdentityIssuerChain(),
                c.rootCaCrl(),
                c.pckCrl()),
            PHALA_SGX_TIME));
  }

  @Test
  void tamperedQeIdentityIsRefused() throws Exception {
    DcapCollateral c = phalaSgx();
    String json = c.qeIdentityJson();
    String mrsigner = "8C4F5775D796503E96137F77C68A829A0056AC8DED70140B081B094490C57BFF";
    assertTrue(json.contains(mrsigner));
    assertEquals(
        Reason.COLLATERAL_SIGNATURE_INVALID,
        refuse(
            sgx,
            withQeIdentity(c, json.replace(mrsigner, "00" + mrsigner.substring(2))),
            PHALA_SGX_TIME));
    assertEquals(
        Reason.COLLATERAL_SIGNATURE_INVALID,
        refuse(
            sgx,
            withQeIdentity(c, json.replace("\"isvprodid\":1", "\"isvprodid\":2")),
            PHALA_SGX_TIME));
  }

  @Test
  void collateralSignedByTheWrongKeyIsRefused() throws Exception {
    DcapCollateral c = phalaSgx();
    var pckChain = Pki.parsePemChain(QuoteLayout.pemOf(sgx), "pck");
    // The PCK chain is valid and pinned, but its leaf is not the TCB signing key.
    assertEquals(
        Reason.COLLATERAL_SIGNATURE_INVALID,
        refuse(
            sgx,
            new DcapCollateral(
                c.tcbInfoJson(),
                c.tcbInfoSignature(),
                pckChain,
                c.qeIdentityJson(),
                c.qeIdentitySignature(),
                c.qeIdentityIssuerChain(),
                c.rootCaCrl(),
                c.pckCrl()),
            PHALA_SGX_TIME));
    // QE identity and TCB info swapped with their signatures: ids do not fit.
    assertEquals(
        Reason.MALFORMED_COLLATERAL,
        refuse(
            sgx,
            new DcapCollateral(
                c.qeIdentityJson(),
                c.qeIdentitySignature(),
                c.tcbInfoIssuerChain(),
                c.tcbInfoJson(),
                c.tcbInfoSignature(),
                c.qeIdentityIssuerChain(),
                c.rootCaCrl(),
                c.pckCrl()),
            PHALA_SGX_TIME));
    // The issuer chain without its root.
    assertEquals(
        Reason.CERT_CHAIN_INVALID,
        refuse(
            sgx,
            new DcapCollateral(
                c.tcbInfoJson(),
                c.tcbInfoSignature(),
                List.of(c.tcbInfoIssuerChain().get(0)),
                c.qeIdentityJson(),
                c.qeIdentitySignature(),
                c.qeIdentityIssuerChain(),
                c.rootCaCrl(),
                c.pckCrl()),
            PHALA_SGX_TIME));
  }

  @Test
  void swappedOrForeignCrlsAreRefused() throws Exception {
    DcapCollateral c = phalaSgx();
    assertEquals(
        Reason.COLLATERAL_MISMATCH,
        refuse(sgx, withCrls(c, c.pckCrl(), c.pckCrl()), PHALA_SGX_TIME));
    assertEquals(
        Reason.COLLATERAL_MISMATCH,
        refuse(sgx, withCrls(c, c.rootCaCrl(), c.rootCaCrl()), PHALA_SGX_TIME));
    // The TDX sample's PCK CRL is the Platform CA's; this PCK was issued by the Processor CA.
    assertEquals(
        Reason.COLLATERAL_MISMATCH,
        refuse(sgx, withCrls(c, c.rootCaCrl(), phalaTdx().pckCrl()), PHALA_SGX_TIME));
    byte[] der = c.pckCrl().getEncoded();
    der[der.length - 3] ^= 1; // inside the ECDSA signature value
    X509CRL bad = Pki.parseCrl(der, "pck crl");
    assertEquals(
        Reason.COLLATERAL_SIGNATURE_INVALID,
        refuse(sgx, withCrls(c, c.rootCaCrl(), bad), PHALA_SGX_TIME));
  }

  @Test
  void verificationTimeOutsideTheWindowsIsRefused() throws Exception {
    DcapCollateral c = phalaSgx();
    // PCK CRL windows: 2025-06-19T10:23:18Z .. 2025-07-19T10:23:18Z
    assertEquals(Reason.COLLATERAL_EXPIRED, refuse(sgx, c, Instant.parse("2025-07-20T00:00:00Z")));
    assertEquals(Reason.COLLATERAL_EXPIRED, refuse(sgx, c, Instant.parse("2025-06-18T00:00:00Z")));
    // After the CRL is issued, before the TCB info is (2025-06-19T10:56:11Z).
    var e =
        assertThrows(
            DcapVerificationException.class,
            () -> DcapTestData.verifier().verify(sgx, c, Instant.parse("2025-06-19T10:40:00Z")));
    assertEquals(Reason.COLLATERAL_EXPIRED, e.reason());
    assertTrue(e.getMessage().contains("tcbInfo"), e.getMessage());
    // After the QE identity's next update (10:01:18Z) but within the CRL and TCB info windows.
    var q =
        assertThrows(
            DcapVerificationException.class,
            () -> DcapTestData.verifier().verify(sgx, c, Instant.parse("2025-07-19T10:10:00Z")));
    assertEquals(Reason.COLLATERAL_EXPIRED, q.reason());
    assertTrue(q.getMessage().contains("qeIdentity"), q.getMessage());
    // The PCK certificate: valid 2023-09-20 .. 2030-09-20.
    assertEquals(Reason.CERT_EXPIRED, refuse(sgx, c, Instant.parse("2031-01-01T00:00:00Z")));
    assertEquals(Reason.CERT_EXPIRED, refuse(sgx, c, Instant.parse("2023-01-01T00:00:00Z")));
    assertEquals(
        Reason.COLLATERAL_EXPIRED,
        refuse(bytes(PHALA_TDX), phalaTdx(), PHALA_TDX_TIME.plusSeconds(86400L * 30)));
  }

  @Test
  void malformedCollateralIsRefusedWhenLoading() {
    String good = text("sgx/phala_sgx_quote_collateral.json");
    for (String bad :
        new String[] {
          "",
          "{",
          "[]",
          good + "x",
          good.replace("\"pck_crl\"", "\"pck_crl_x\""),
          good.replaceFirst("(\"root_ca_crl\"\\s*:\\s*\")30", "$13"),
          "{\"a\":1,\"a\":2}",
          "{\"a\":1.5}"
        }) {
      var e =
          assertThrows(DcapVerificationException.class, () -> DcapCollateral.fromDcapQvlJson(bad));
      assertTrue(
          e.reason() == Reason.MALFORMED_COLLATERAL || e.reason() == Reason.MALFORMED_CERTIFICATE,
          e.getMessage());
    }
    var e =
        assertThrows(
            DcapVerificationException.class,
            () ->
                DcapCollateral.fromPcsResponses(
                    "{\"tcbInfo\":{},\"signature\":\"00\"}",
                    text("tdx/gotdx_sample_qeIdentity_response"),
                    DcapTestData.goTdxSigningChain(),
                    bytes("tdx/gotdx_pckcrl"),
                    bytes("tdx/gotdx_rootcrl.der")));
    assertEquals(Reason.MALFORMED_COLLATERAL, e.reason());
  }

  @Test
  void unparseableSignedJsonIsRefusedAfterItsSignatureCheck() throws Exception {
    // A well-signed but unsupported document cannot exist without Intel's key; here the signature
    // check comes first, so garbage is refused as a signature failure, not parsed.
    assertEquals(
        Reason.COLLATERAL_SIGNATURE_INVALID,
        refuse(sgx, withTcbInfo(phalaSgx(), "{\"version\":99}"), PHALA_SGX_TIME));
    assertEquals(
        Reason.COLLATERAL_SIGNATURE_INVALID,
        refuse(bytes(PHALA_TDX), withQeIdentity(phalaTdx(), "[]"), PHALA_TDX_TIME));
  }
}
