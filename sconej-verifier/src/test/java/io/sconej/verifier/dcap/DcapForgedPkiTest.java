package io.sconej.verifier.dcap;

import static io.sconej.verifier.dcap.DcapQuoteTamperTest.refuse;
import static io.sconej.verifier.dcap.ForgedPki.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sconej.verifier.dcap.DcapVerificationException.Reason;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Revocation, TCB statuses and root pinning, on a quote and collateral re-signed by a forged PKI
 * whose root has Intel's root name but another key.
 */
class DcapForgedPkiTest {
  static ForgedPki pki;
  static byte[] quote;
  static String tcbInfo;
  static String qeIdentity;

  @BeforeAll
  static void forge() throws Exception {
    pki = new ForgedPki(true);
    quote = pki.quote();
    DcapCollateral real = DcapTestData.phalaSgx();
    tcbInfo = real.tcbInfoJson();
    qeIdentity = real.qeIdentityJson();
  }

  private static DcapVerifiedQuote verify(DcapCollateral c) throws Exception {
    return DcapVerifier.create(pki.root).verify(quote, c, NOW);
  }

  private static Reason refuseForged(DcapCollateral c) {
    var e = assertThrows(DcapVerificationException.class, () -> verify(c));
    return e.reason();
  }

  @Test
  void forgedEcosystemVerifiesOnlyUnderItsOwnPin() throws Exception {
    assertEquals(
        TcbStatus.CONFIGURATION_AND_SW_HARDENING_NEEDED,
        verify(pki.collateral(tcbInfo, qeIdentity)).tcbStatus());
    // Same names as Intel's root, different key: the Intel-pinned verifier refuses it.
    assertEquals(Reason.ROOT_NOT_PINNED, refuse(quote, pki.collateral(tcbInfo, qeIdentity), NOW));
    // Real quote under the forged pin: the real chain ends in Intel's root, not the pinned one.
    assertEquals(
        Reason.ROOT_NOT_PINNED,
        assertThrows(
                DcapVerificationException.class,
                () ->
                    DcapVerifier.create(pki.root.getPublicKey())
                        .verify(
                            DcapTestData.bytes(DcapTestData.PHALA_SGX),
                            DcapTestData.phalaSgx(),
                            NOW))
            .reason());
    // Real Intel collateral with the forged quote: Intel's root CRL is not signed by the pin.
    assertEquals(Reason.COLLATERAL_SIGNATURE_INVALID, refuseForged(DcapTestData.phalaSgx()));
  }

  @Test
  void revokedCertificatesAreRefused() throws Exception {
    assertEquals(
        Reason.CERT_REVOKED,
        refuseForged(
            pki.collateral(
                tcbInfo,
                qeIdentity,
                pki.crl(pki.root, pki.rootKey),
                pki.crl(pki.ca, pki.caKey, pki.pck))));
    assertEquals(
        Reason.CERT_REVOKED,
        refuseForged(
            pki.collateral(
                tcbInfo,
                qeIdentity,
                pki.crl(pki.root, pki.rootKey, pki.ca),
                pki.crl(pki.ca, pki.caKey))));
    assertEquals(
        Reason.CERT_REVOKED,
        refuseForged(
            pki.collateral(
                tcbInfo,
                qeIdentity,
                pki.crl(pki.root, pki.rootKey, pki.tcbSigner),
                pki.crl(pki.ca, pki.caKey))));
    // A CRL signed by the wrong key (same issuer name).
    assertEquals(
        Reason.COLLATERAL_SIGNATURE_INVALID,
        refuseForged(
            pki.collateral(
                tcbInfo,
                qeIdentity,
                pki.crl(pki.root, pki.rootKey),
                pki.crl(pki.ca, pki.rootKey))));
  }

  @Test
  void tcbStatusesAreReportedOrRefused() throws Exception {
    String revoked = tcbInfo.replaceAll("\"tcbStatus\":\"[A-Za-z]+\"", "\"tcbStatus\":\"Revoked\"");
    assertEquals(Reason.TCB_REVOKED, refuseForged(pki.collateral(revoked, qeIdentity)));
    String outOfDate =
        tcbInfo.replaceAll("\"tcbStatus\":\"[A-Za-z]+\"", "\"tcbStatus\":\"OutOfDate\"");
    assertEquals(TcbStatus.OUT_OF_DATE, verify(pki.collateral(outOfDate, qeIdentity)).tcbStatus());
    String upToDate =
        tcbInfo.replaceAll("\"tcbStatus\":\"[A-Za-z]+\"", "\"tcbStatus\":\"UpToDate\"");
    assertEquals(TcbStatus.UP_TO_DATE, verify(pki.collateral(upToDate, qeIdentity)).tcbStatus());
    String tooHigh = tcbInfo.replaceAll("\"pcesvn\":\\d+", "\"pcesvn\":65535");
    assertEquals(Reason.TCB_LEVEL_NOT_FOUND, refuseForged(pki.collateral(tooHigh, qeIdentity)));
    String unknown = upToDate.replaceFirst("\"UpToDate\"", "\"Fine\"");
    assertEquals(Reason.MALFORMED_COLLATERAL, refuseForged(pki.collateral(unknown, qeIdentity)));
  }

  @Test
  void qeIdentityIsEnforced() throws Exception {
    String qeRevoked =
        qeIdentity.replaceAll("\"tcbStatus\":\"[A-Za-z]+\"", "\"tcbStatus\":\"Revoked\"");
    assertEquals(Reason.TCB_REVOKED, refuseForged(pki.collateral(tcbInfo, qeRevoked)));
    String upToDate =
        tcbInfo.replaceAll("\"tcbStatus\":\"[A-Za-z]+\"", "\"tcbStatus\":\"UpToDate\"");
    String qeOutOfDate = qeIdentity.replaceAll("\"isvsvn\":\\d+", "\"isvsvn\":65535");
    assertEquals(TcbStatus.OUT_OF_DATE, verify(pki.collateral(upToDate, qeOutOfDate)).tcbStatus());
    String otherSigner = qeIdentity.replaceFirst("\"mrsigner\":\"8C", "\"mrsigner\":\"8D");
    assertEquals(Reason.QE_IDENTITY_MISMATCH, refuseForged(pki.collateral(tcbInfo, otherSigner)));
    String otherProduct = qeIdentity.replace("\"isvprodid\":1", "\"isvprodid\":7");
    assertEquals(Reason.QE_IDENTITY_MISMATCH, refuseForged(pki.collateral(tcbInfo, otherProduct)));
    String tdQe = qeIdentity.replace("\"id\":\"QE\"", "\"id\":\"TD_QE\"");
    assertEquals(Reason.COLLATERAL_MISMATCH, refuseForged(pki.collateral(tcbInfo, tdQe)));
  }

  @Test
  void intermediateWithoutCaFlagIsRefused() throws Exception {
    ForgedPki noCa = new ForgedPki(false);
    var e =
        assertThrows(
            DcapVerificationException.class,
            () ->
                DcapVerifier.create(noCa.root)
                    .verify(noCa.quote(), noCa.collateral(tcbInfo, qeIdentity), NOW));
    assertEquals(Reason.CERT_CHAIN_INVALID, e.reason());
  }
}
