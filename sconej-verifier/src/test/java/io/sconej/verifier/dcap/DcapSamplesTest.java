package io.sconej.verifier.dcap;

import static io.sconej.verifier.dcap.DcapTestData.GOTDX;
import static io.sconej.verifier.dcap.DcapTestData.GOTDX_TIME;
import static io.sconej.verifier.dcap.DcapTestData.PHALA_SGX;
import static io.sconej.verifier.dcap.DcapTestData.PHALA_SGX_TIME;
import static io.sconej.verifier.dcap.DcapTestData.PHALA_TDX;
import static io.sconej.verifier.dcap.DcapTestData.PHALA_TDX_TIME;
import static io.sconej.verifier.dcap.DcapTestData.TRUSTEE_SGX;
import static io.sconej.verifier.dcap.DcapTestData.TRUSTEE_TDX;
import static io.sconej.verifier.dcap.DcapTestData.bytes;
import static io.sconej.verifier.dcap.DcapTestData.goTdx;
import static io.sconej.verifier.dcap.DcapTestData.phalaSgx;
import static io.sconej.verifier.dcap.DcapTestData.phalaTdx;
import static io.sconej.verifier.dcap.DcapTestData.verifier;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.verifier.dcap.DcapVerificationException.Reason;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Full verification of the real samples (known answers), and their quote-internal checks. */
class DcapSamplesTest {

  @Test
  void phalaSgxVerifiesFullyWithKnownAnswer() throws Exception {
    byte[] quote = bytes(PHALA_SGX);
    DcapVerifiedQuote v = verifier().verify(quote, phalaSgx(), PHALA_SGX_TIME);
    assertEquals(TeeType.SGX, v.teeType());
    assertEquals(TcbStatus.CONFIGURATION_AND_SW_HARDENING_NEEDED, v.tcbStatus());
    assertEquals(List.of("INTEL-SA-00289", "INTEL-SA-00615"), v.advisoryIds());
    assertEquals("00a067110000", v.fmspc());
    assertEquals(
        "33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb", v.measurementHex());
    assertEquals("815f42f11cf64430c30bab7816ba596a1da0130c3b028b673133a66cf9a3e0e6", v.signerHex());
    assertFalse(v.debug());
    assertEquals(List.of(), v.rtmrs());
    assertArrayEquals(Arrays.copyOfRange(quote, 48 + 320, 48 + 384), v.reportData());
    assertArrayEquals(Arrays.copyOfRange(quote, 48, 48 + 384), v.body());
    assertEquals(Instant.parse("2025-07-19T10:01:18Z"), v.collateralExpiry());
  }

  @Test
  void phalaTdxVerifiesFullyWithKnownAnswer() throws Exception {
    byte[] quote = bytes(PHALA_TDX);
    DcapVerifiedQuote v = verifier().verify(quote, phalaTdx(), PHALA_TDX_TIME);
    assertEquals(TeeType.TDX, v.teeType());
    assertEquals(TcbStatus.UP_TO_DATE, v.tcbStatus());
    assertEquals("b0c06f000000", v.fmspc());
    assertEquals(
        "91eb2b44d141d4ece09f0c75c2c53d247a3c68edd7fafe8a3520c942a604a407"
            + "de03ae6dc5f87f27428b2538873118b7",
        v.measurementHex());
    assertEquals(4, v.rtmrs().size());
    assertArrayEquals(Arrays.copyOfRange(quote, 48 + 328, 48 + 376), v.rtmrs().get(0));
    assertEquals("", v.signerHex());
    assertFalse(v.debug());
    assertArrayEquals(Arrays.copyOfRange(quote, 48 + 520, 48 + 584), v.reportData());
  }

  @Test
  void builtInIntelRootEqualsTheRootInTheTestData() throws Exception {
    DcapVerifiedQuote v =
        DcapVerifier.createForIntelRoot().verify(bytes(PHALA_SGX), phalaSgx(), PHALA_SGX_TIME);
    assertEquals(TeeType.SGX, v.teeType());
  }

  @Test
  void trusteeTdxVerifiesFullyWithGoTdxCollateralAndIsADebugTd() throws Exception {
    DcapVerifiedQuote v = verifier().verify(bytes(TRUSTEE_TDX), goTdx(), GOTDX_TIME);
    assertEquals(TcbStatus.UP_TO_DATE, v.tcbStatus());
    assertEquals("50806f000000", v.fmspc());
    assertTrue(v.debug(), "td_attributes DEBUG bit is set in this sample");
  }

  @Test
  void goTdxQuoteHasNoMatchingTcbLevel() throws Exception {
    // Its TEE_TCB_SVN[2] is 4, below the 5 that every level of its (2023) TCB info requires:
    // everything else (chain, CRLs, collateral signatures, QE identity) passes first.
    verifier().verifySignatures(bytes(GOTDX), GOTDX_TIME);
    var e =
        assertThrows(
            DcapVerificationException.class,
            () -> verifier().verify(bytes(GOTDX), goTdx(), GOTDX_TIME));
    assertEquals(Reason.TCB_LEVEL_NOT_FOUND, e.reason());
  }

  @Test
  void quoteInternalChecksPassForEverySample() throws Exception {
    Instant t = Instant.parse("2025-06-25T00:00:00Z");
    for (String s : List.of(PHALA_SGX, PHALA_TDX, TRUSTEE_SGX, TRUSTEE_TDX, GOTDX)) {
      DcapVerifier.SignedQuote sq = verifier().verifySignatures(bytes(s), t);
      assertEquals(3, sq.pckChain().size(), s);
    }
    assertEquals(70, DcapQuote.parse(bytes(PHALA_TDX)).trailingBytes());
    assertEquals(39, DcapQuote.parse(bytes(GOTDX)).trailingBytes());
    assertEquals(0, DcapQuote.parse(bytes(PHALA_SGX)).trailingBytes());
  }

  @Test
  void collateralForAnotherPlatformIsRefused() throws Exception {
    var fmspc =
        assertThrows(
            DcapVerificationException.class,
            () -> verifier().verify(bytes(TRUSTEE_TDX), phalaTdx(), PHALA_TDX_TIME));
    assertEquals(Reason.FMSPC_MISMATCH, fmspc.reason());
    // The trustee SGX PCK comes from the Platform CA; Phala SGX's PCK CRL is the Processor CA's.
    var crl =
        assertThrows(
            DcapVerificationException.class,
            () -> verifier().verify(bytes(TRUSTEE_SGX), phalaSgx(), PHALA_SGX_TIME));
    assertEquals(Reason.COLLATERAL_MISMATCH, crl.reason());
    // SGX quote (Platform CA) with TDX collateral (Platform CA CRL): the ids TDX/TD_QE differ.
    var tee =
        assertThrows(
            DcapVerificationException.class,
            () -> verifier().verify(bytes(TRUSTEE_SGX), phalaTdx(), PHALA_TDX_TIME));
    assertEquals(Reason.COLLATERAL_MISMATCH, tee.reason());
  }

  @Test
  void appendedBytesAreIgnoredAndChangeNothing() throws Exception {
    byte[] quote = bytes(PHALA_SGX);
    byte[] longer = Arrays.copyOf(quote, quote.length + 17);
    longer[quote.length] = 1;
    DcapVerifiedQuote a = verifier().verify(quote, phalaSgx(), PHALA_SGX_TIME);
    DcapVerifiedQuote b = verifier().verify(longer, phalaSgx(), PHALA_SGX_TIME);
    assertEquals(a.toString(), b.toString());
    assertEquals(HexFormat.of().formatHex(a.body()), HexFormat.of().formatHex(b.body()));
  }
}
