package io.sconej.verifier.dcap;

import static io.sconej.verifier.dcap.DcapTestData.PHALA_SGX;
import static io.sconej.verifier.dcap.DcapTestData.PHALA_SGX_TIME;
import static io.sconej.verifier.dcap.DcapTestData.PHALA_TDX;
import static io.sconej.verifier.dcap.DcapTestData.PHALA_TDX_TIME;
import static io.sconej.verifier.dcap.DcapTestData.bytes;
import static io.sconej.verifier.dcap.DcapTestData.phalaSgx;
import static io.sconej.verifier.dcap.DcapTestData.phalaTdx;
import static io.sconej.verifier.dcap.DcapTestData.verifier;
import static io.sconej.verifier.dcap.QuoteLayout.flip;
import static io.sconej.verifier.dcap.QuoteLayout.putU16;
import static io.sconej.verifier.dcap.QuoteLayout.putU32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sconej.verifier.dcap.DcapVerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every kind of tampering with the quote bytes, each refused with its precise reason. */
class DcapQuoteTamperTest {

  static Reason refuse(byte[] quote, DcapCollateral c, Instant now) {
    try {
      DcapVerifiedQuote v = verifier().verify(quote, c, now);
      return fail("accepted a tampered quote: " + v);
    } catch (DcapVerificationException e) {
      assertTrue(e.getMessage().startsWith(e.reason().name()), e.getMessage());
      return e.reason();
    } catch (Exception e) {
      return fail("unexpected exception " + e, e);
    }
  }

  static Reason refuseSgx(byte[] quote) throws Exception {
    return refuse(quote, phalaSgx(), PHALA_SGX_TIME);
  }

  static Reason refuseTdx(byte[] quote) throws Exception {
    return refuse(quote, phalaTdx(), PHALA_TDX_TIME);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {PHALA_SGX, PHALA_TDX})
  void eachFieldFlipIsRefusedWithItsReason(String sample) throws Exception {
    byte[] q = bytes(sample);
    QuoteLayout l = QuoteLayout.of(q);
    boolean tdx = sample.equals(PHALA_TDX);
    DcapCollateral c = tdx ? phalaTdx() : phalaSgx();
    Instant t = tdx ? PHALA_TDX_TIME : PHALA_SGX_TIME;
    int measurement = l.body() + (tdx ? 136 : 64);
    int reportData = l.body() + (tdx ? 520 : 320);
    assertEquals(Reason.QUOTE_SIGNATURE_INVALID, refuse(flip(q, measurement), c, t));
    assertEquals(Reason.QUOTE_SIGNATURE_INVALID, refuse(flip(q, reportData + 63), c, t));
    assertEquals(Reason.QUOTE_SIGNATURE_INVALID, refuse(flip(q, 28), c, t)); // user data
    assertEquals(Reason.QUOTE_SIGNATURE_INVALID, refuse(flip(q, 8), c, t)); // qe svn
    assertEquals(Reason.QUOTE_SIGNATURE_INVALID, refuse(flip(q, l.quoteSig()), c, t));
    assertEquals(Reason.QUOTE_SIGNATURE_INVALID, refuse(flip(q, l.quoteSig() + 63), c, t));
    assertEquals(Reason.ATTESTATION_KEY_BINDING_MISMATCH, refuse(flip(q, l.attKey()), c, t));
    assertEquals(Reason.ATTESTATION_KEY_BINDING_MISMATCH, refuse(flip(q, l.attKey() + 63), c, t));
    assertEquals(Reason.QE_REPORT_SIGNATURE_INVALID, refuse(flip(q, l.qeReport() + 128), c, t));
    assertEquals(Reason.QE_REPORT_SIGNATURE_INVALID, refuse(flip(q, l.qeReport() + 320), c, t));
    assertEquals(Reason.QE_REPORT_SIGNATURE_INVALID, refuse(flip(q, l.qeReportSig()), c, t));
    assertEquals(Reason.QE_REPORT_SIGNATURE_INVALID, refuse(flip(q, l.qeReportSig() + 40), c, t));
    assertEquals(Reason.ATTESTATION_KEY_BINDING_MISMATCH, refuse(flip(q, l.auth()), c, t));
  }

  @Test
  void pckCertificateTamperingIsRefused() throws Exception {
    byte[] q = bytes(PHALA_SGX);
    String pem = new String(QuoteLayout.pemOf(q), StandardCharsets.US_ASCII);
    var chain = Pki.parsePemChain(QuoteLayout.pemOf(q), "chain");
    byte[] leaf = chain.get(0).getEncoded();
    leaf[16] ^= 0x01; // inside the serial number: still DER, signature no longer matches
    String forgedLeaf =
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(leaf)
            + "\n-----END CERTIFICATE-----\n";
    String rest = pem.substring(pem.indexOf("-----END CERTIFICATE-----") + 26);
    byte[] forged = QuoteLayout.withPem(q, (forgedLeaf + rest).getBytes(StandardCharsets.US_ASCII));
    assertEquals(Reason.CERT_CHAIN_INVALID, refuseSgx(forged));
    // Unchanged chain through withPem is accepted (the helper itself does not break quotes).
    verifier().verify(QuoteLayout.withPem(q, QuoteLayout.pemOf(q)), phalaSgx(), PHALA_SGX_TIME);
    // Junk around the PEM, a non-canonical base64 character, a missing END.
    assertEquals(
        Reason.MALFORMED_CERTIFICATE,
        refuseSgx(QuoteLayout.withPem(q, ("x" + pem).getBytes(StandardCharsets.US_ASCII))));
    assertEquals(
        Reason.MALFORMED_CERTIFICATE,
        refuseSgx(QuoteLayout.withPem(q, pem.replaceFirst("\n", "\n ").getBytes())));
    assertEquals(
        Reason.MALFORMED_CERTIFICATE,
        refuseSgx(
            QuoteLayout.withPem(q, pem.substring(0, pem.lastIndexOf("-----END")).getBytes())));
    // Chain without its root: the last certificate is not the pinned root.
    String withoutRoot = pem.substring(0, pem.lastIndexOf("-----BEGIN"));
    assertEquals(Reason.ROOT_NOT_PINNED, refuseSgx(QuoteLayout.withPem(q, withoutRoot.getBytes())));
    // Leaf only.
    String leafOnly = pem.substring(0, pem.indexOf("-----END CERTIFICATE-----") + 26);
    assertEquals(Reason.CERT_CHAIN_INVALID, refuseSgx(QuoteLayout.withPem(q, leafOnly.getBytes())));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {PHALA_SGX, PHALA_TDX})
  void truncationAtEveryOffsetIsMalformed(String sample) throws Exception {
    byte[] q = bytes(sample);
    int end = QuoteLayout.of(q).end();
    for (int cut = 0; cut < end; cut += cut < 1300 ? 1 : 37) {
      try {
        DcapQuote.parse(Arrays.copyOf(q, cut));
        fail("parsed a quote truncated to " + cut + " bytes");
      } catch (DcapVerificationException e) {
        assertEquals(Reason.MALFORMED_QUOTE, e.reason(), "cut at " + cut + ": " + e.getMessage());
      }
    }
    assertEquals(
        Reason.MALFORMED_QUOTE,
        refuse(
            Arrays.copyOf(q, end - 1),
            sample.equals(PHALA_SGX) ? phalaSgx() : phalaTdx(),
            PHALA_SGX_TIME));
  }

  @Test
  void wrongLengthFieldsAreMalformed() throws Exception {
    for (String sample : new String[] {PHALA_SGX, PHALA_TDX}) {
      byte[] q = bytes(sample);
      QuoteLayout l = QuoteLayout.of(q);
      long sig = QuoteReader.u32(q, l.sigLen());
      long cert = QuoteReader.u32(q, l.certLen());
      int auth = QuoteReader.u16(q, l.authLen());
      for (byte[] bad :
          new byte[][] {
            putU32(q, l.sigLen(), 0xFFFFFFFFL),
            putU32(q, l.sigLen(), 0x80000000L),
            putU32(q, l.sigLen(), sig + 1 + (sample.equals(PHALA_TDX) ? 100 : 0)),
            putU32(q, l.sigLen(), sig - 1),
            putU32(q, l.sigLen(), 0),
            putU32(q, l.certLen(), 0xFFFFFFFFL),
            putU32(q, l.certLen(), cert + 1),
            putU32(q, l.certLen(), cert - 1),
            putU16(q, l.authLen(), 0xFFFF),
            putU16(q, l.authLen(), auth + 1),
            putU16(q, l.authLen(), auth - 1)
          }) {
        assertEquals(Reason.MALFORMED_QUOTE, expectParseFailure(bad), sample);
      }
      if (l.outerCertLen() > 0) {
        long outer = QuoteReader.u32(q, l.outerCertLen());
        assertEquals(
            Reason.MALFORMED_QUOTE, expectParseFailure(putU32(q, l.outerCertLen(), outer + 1)));
        assertEquals(
            Reason.MALFORMED_QUOTE, expectParseFailure(putU32(q, l.outerCertLen(), outer - 1)));
        assertEquals(
            Reason.MALFORMED_QUOTE, expectParseFailure(putU32(q, l.outerCertLen(), 0xFFFFFFFFL)));
      }
    }
  }

  static Reason expectParseFailure(byte[] q) {
    try {
      DcapQuote.parse(q);
      return fail("parsed");
    } catch (DcapVerificationException e) {
      return e.reason();
    }
  }

  @Test
  void unsupportedHeaderFieldsAreRefused() throws Exception {
    byte[] sgx = bytes(PHALA_SGX);
    byte[] tdx = bytes(PHALA_TDX);
    for (int v : new int[] {0, 1, 2, 5, 0xFFFF}) {
      assertEquals(Reason.UNSUPPORTED_VERSION, expectParseFailure(putU16(sgx, 0, v)));
    }
    assertEquals(Reason.UNSUPPORTED_ATTESTATION_KEY_TYPE, expectParseFailure(putU16(sgx, 2, 3)));
    assertEquals(Reason.UNSUPPORTED_TEE_TYPE, expectParseFailure(putU32(sgx, 4, 0x81)));
    assertEquals(Reason.UNSUPPORTED_TEE_TYPE, expectParseFailure(putU32(tdx, 4, 0x82)));
    assertEquals(Reason.UNSUPPORTED_QE_VENDOR, expectParseFailure(flip(sgx, 12)));
    QuoteLayout l = QuoteLayout.of(sgx);
    assertEquals(
        Reason.UNSUPPORTED_CERTIFICATION_DATA, expectParseFailure(putU16(sgx, l.certType(), 4)));
    QuoteLayout lt = QuoteLayout.of(tdx);
    assertEquals(
        Reason.UNSUPPORTED_CERTIFICATION_DATA,
        expectParseFailure(putU16(tdx, lt.outerCertLen() - 2, 5)));
    // v4 SGX header on a v3 body layout: the signature data no longer lines up.
    assertEquals(Reason.MALFORMED_QUOTE, expectParseFailure(putU16(sgx, 0, 4)));
  }

  /**
   * Property: flipping any bit-0 of any byte of the quote up to the end of the signature data is
   * refused (every byte in the fixed part, every 3rd byte of the PEM chain).
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {PHALA_SGX, PHALA_TDX})
  void everyByteFlipIsRefused(String sample) throws Exception {
    byte[] q = bytes(sample);
    QuoteLayout l = QuoteLayout.of(q);
    boolean tdx = sample.equals(PHALA_TDX);
    DcapCollateral c = tdx ? phalaTdx() : phalaSgx();
    Instant t = tdx ? PHALA_TDX_TIME : PHALA_SGX_TIME;
    Set<Reason> seen = EnumSet.noneOf(Reason.class);
    int count = 0;
    for (int i = 0; i < l.end(); i += i < l.pem() ? 1 : 3) {
      seen.add(refuse(flip(q, i), c, t));
      count++;
    }
    assertTrue(count > 1500, "flipped " + count);
    assertTrue(
        seen.containsAll(
            EnumSet.of(
                Reason.QUOTE_SIGNATURE_INVALID,
                Reason.QE_REPORT_SIGNATURE_INVALID,
                Reason.ATTESTATION_KEY_BINDING_MISMATCH,
                Reason.MALFORMED_QUOTE,
                Reason.CERT_CHAIN_INVALID)),
        seen.toString());
  }
}
