package io.sconej.verifier.dcap;

import io.sconej.verifier.dcap.DcapVerificationException.Reason;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A parsed (not yet verified) Intel DCAP ECDSA quote, version 3 (SGX) or 4 (SGX or TDX 1.0).
 *
 * <p>Wire format (all integers little-endian):
 *
 * <pre>
 * header (48):  version u16 | att_key_type u16 (=2) | tee_type u32 (0x00 SGX, 0x81 TDX)
 *               | qe_svn u16 | pce_svn u16 | qe_vendor_id [16] | user_data [20]
 * body:         SGX report body [384] or TDX TD report body [584]
 * sig_len u32 | signature data [sig_len]:
 *   quote_signature [64] (r||s over header||body) | attestation_key [64] (P-256 x||y)
 *   v3: qe_report [384] | qe_report_sig [64] | qe_auth_len u16 | qe_auth [qe_auth_len]
 *       | cert_type u16 (=5) | cert_len u32 | PCK chain PEM [cert_len]
 *   v4: cert_type u16 (=6) | cert_len u32 | { the v3 part from qe_report on } [cert_len]
 * </pre>
 *
 * <p>Parsing refuses a version, key type or TEE type other than the above, any length field that
 * points past its enclosing structure, and any structure that does not exactly fill its declared
 * length. Bytes after the signature data are ignored (they are covered by no signature; real quotes
 * read from configfs-tsm carry zero padding there) and counted in {@link #trailingBytes()}. Parsing
 * checks no signature: use {@link DcapVerifier}.
 */
public final class DcapQuote {
  static final int HEADER_BYTES = 48;
  static final int SGX_BODY_BYTES = 384;
  static final int TDX_BODY_BYTES = 584;
  static final int QE_REPORT_BYTES = 384;
  static final int SIGNATURE_BYTES = 64;
  static final int ATTESTATION_KEY_BYTES = 64;
  static final int ECDSA_P256_KEY_TYPE = 2;
  static final int CERT_TYPE_PCK_CHAIN = 5;
  static final int CERT_TYPE_QE_REPORT = 6;
  private static final byte[] INTEL_QE_VENDOR_ID =
      HexFormat.of().parseHex("939a7233f79c4ca9940a0db3957f0607");

  private final byte[] quote;
  private final int version;
  private final TeeType teeType;
  private final int bodyBytes;
  private final byte[] quoteSignature;
  private final byte[] attestationKey;
  private final byte[] qeReport;
  private final byte[] qeReportSignature;
  private final byte[] qeAuthData;
  private final byte[] pckChainPem;
  private final int trailingBytes;

  private DcapQuote(byte[] quote) throws DcapVerificationException {
    this.quote = quote.clone();
    QuoteReader r = new QuoteReader(this.quote, 0, this.quote.length);
    version = r.u16("header.version");
    if (version != 3 && version != 4) {
      throw new DcapVerificationException(
          Reason.UNSUPPORTED_VERSION, "header.version at offset 0: " + version);
    }
    int keyType = r.u16("header.att_key_type");
    if (keyType != ECDSA_P256_KEY_TYPE) {
      throw new DcapVerificationException(
          Reason.UNSUPPORTED_ATTESTATION_KEY_TYPE, "header.att_key_type at offset 2: " + keyType);
    }
    int tee = r.u32("header.tee_type");
    if (tee == 0) {
      teeType = TeeType.SGX;
      bodyBytes = SGX_BODY_BYTES;
    } else if (tee == 0x81 && version == 4) {
      teeType = TeeType.TDX;
      bodyBytes = TDX_BODY_BYTES;
    } else {
      throw new DcapVerificationException(
          Reason.UNSUPPORTED_TEE_TYPE,
          "header.tee_type at offset 4: 0x" + Integer.toHexString(tee) + " in version " + version);
    }
    r.bytes(4, "header.qe_svn/pce_svn");
    byte[] vendor = r.bytes(16, "header.qe_vendor_id");
    if (!Arrays.equals(vendor, INTEL_QE_VENDOR_ID)) {
      throw new DcapVerificationException(
          Reason.UNSUPPORTED_QE_VENDOR, "header.qe_vendor_id at offset 12: not Intel's");
    }
    r.bytes(20, "header.user_data");
    r.bytes(bodyBytes, "body");
    int sigLen = r.u32("signature_data_len");
    int sigStart = r.position();
    QuoteReader s = new QuoteReader(this.quote, sigStart, checkedEnd(r, sigLen, "signature data"));
    quoteSignature = s.bytes(SIGNATURE_BYTES, "signature_data.quote_signature");
    attestationKey = s.bytes(ATTESTATION_KEY_BYTES, "signature_data.attestation_key");
    QuoteReader q = s;
    if (version == 4) {
      int outerType = s.u16("signature_data.cert_type");
      int outerLen = s.u32("signature_data.cert_len");
      q = new QuoteReader(this.quote, s.position(), checkedEnd(s, outerLen, "QE report cert data"));
      s.bytes(outerLen, "signature_data.cert_data");
      requireConsumed(s, "signature data");
      requireType(
          outerType,
          CERT_TYPE_QE_REPORT,
          "signature_data.cert_type",
          s.position() - 6 - outerLen,
          "QE report certification data");
    }
    qeReport = q.bytes(QE_REPORT_BYTES, "qe_report");
    qeReportSignature = q.bytes(SIGNATURE_BYTES, "qe_report_signature");
    int authLen = q.u16("qe_auth_data_len");
    qeAuthData = q.bytes(authLen, "qe_auth_data");
    int certType = q.u16("pck cert_type");
    int certLen = q.u32("pck cert_len");
    pckChainPem = q.bytes(certLen, "pck cert_data");
    requireConsumed(q, "QE report certification data");
    requireConsumed(s, "signature data");
    requireType(
        certType,
        CERT_TYPE_PCK_CHAIN,
        "pck cert_type",
        q.position() - 6 - certLen,
        "PCK certificate chain");
    trailingBytes = r.remaining() - sigLen;
  }

  private static int checkedEnd(QuoteReader r, int len, String what)
      throws DcapVerificationException {
    if (len < 0 || len > r.remaining()) {
      throw new DcapVerificationException(
          Reason.MALFORMED_QUOTE,
          what
              + " length at offset "
              + (r.position() - 4)
              + ": "
              + Integer.toUnsignedString(len)
              + " exceeds the "
              + r.remaining()
              + " bytes available");
    }
    return r.position() + len;
  }

  /** Checked after the lengths, so that a misaligned structure reads as malformed. */
  private static void requireType(int type, int expected, String field, int offset, String what)
      throws DcapVerificationException {
    if (type != expected) {
      throw new DcapVerificationException(
          Reason.UNSUPPORTED_CERTIFICATION_DATA,
          field
              + " at offset "
              + offset
              + ": "
              + type
              + " (expected "
              + expected
              + ", "
              + what
              + ")");
    }
  }

  private static void requireConsumed(QuoteReader r, String what) throws DcapVerificationException {
    if (r.remaining() != 0) {
      throw new DcapVerificationException(
          Reason.MALFORMED_QUOTE,
          what + ": " + r.remaining() + " unaccounted bytes at offset " + r.position());
    }
  }

  /**
   * Parses a quote.
   *
   * @throws DcapVerificationException MALFORMED_QUOTE, UNSUPPORTED_VERSION,
   *     UNSUPPORTED_ATTESTATION_KEY_TYPE, UNSUPPORTED_TEE_TYPE, UNSUPPORTED_QE_VENDOR or
   *     UNSUPPORTED_CERTIFICATION_DATA, naming the field and offset
   */
  public static DcapQuote parse(byte[] quote) throws DcapVerificationException {
    return new DcapQuote(quote);
  }

  /** Quote version: 3 or 4. */
  public int version() {
    return version;
  }

  /** SGX or TDX. */
  public TeeType teeType() {
    return teeType;
  }

  /** QE SVN from the header. */
  public int qeSvn() {
    return QuoteReader.u16(quote, 8);
  }

  /** PCE SVN from the header. */
  public int pceSvn() {
    return QuoteReader.u16(quote, 10);
  }

  /** The report body (384 bytes SGX, 584 bytes TDX), unverified. */
  public byte[] body() {
    return Arrays.copyOfRange(quote, HEADER_BYTES, HEADER_BYTES + bodyBytes);
  }

  /** Number of ignored bytes after the signature data. */
  public int trailingBytes() {
    return trailingBytes;
  }

  byte[] signedRegion() {
    return Arrays.copyOfRange(quote, 0, HEADER_BYTES + bodyBytes);
  }

  byte[] quoteSignature() {
    return quoteSignature.clone();
  }

  byte[] attestationKey() {
    return attestationKey.clone();
  }

  byte[] qeReport() {
    return qeReport.clone();
  }

  byte[] qeReportSignature() {
    return qeReportSignature.clone();
  }

  byte[] qeAuthData() {
    return qeAuthData.clone();
  }

  byte[] pckChainPem() {
    return pckChainPem.clone();
  }
}
