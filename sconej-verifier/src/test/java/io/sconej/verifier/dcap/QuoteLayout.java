package io.sconej.verifier.dcap;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Offsets of the fields of a well-formed sample quote, and rebuilding with another PEM chain. */
record QuoteLayout(
    int body,
    int sigLen,
    int quoteSig,
    int attKey,
    int outerCertLen,
    int qeReport,
    int qeReportSig,
    int authLen,
    int auth,
    int certType,
    int certLen,
    int pem,
    int end) {

  static QuoteLayout of(byte[] q) {
    int version = QuoteReader.u16(q, 0);
    int bodyLen = QuoteReader.u32(q, 4) == 0 ? 384 : 584;
    int sigLen = 48 + bodyLen;
    int quoteSig = sigLen + 4;
    int attKey = quoteSig + 64;
    int outer = version == 4 ? attKey + 64 + 2 : -1;
    int qeReport = version == 4 ? outer + 4 : attKey + 64;
    int qeSig = qeReport + 384;
    int authLen = qeSig + 64;
    int auth = authLen + 2;
    int certType = auth + QuoteReader.u16(q, authLen);
    int certLen = certType + 2;
    int pem = certLen + 4;
    int end = pem + (int) QuoteReader.u32(q, certLen);
    return new QuoteLayout(
        48, sigLen, quoteSig, attKey, outer, qeReport, qeSig, authLen, auth, certType, certLen, pem,
        end);
  }

  /** The quote with its PCK chain PEM replaced and all enclosing lengths updated. */
  static byte[] withPem(byte[] q, byte[] pem) {
    QuoteLayout l = of(q);
    int delta = pem.length - (l.end - l.pem);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(q, 0, l.pem);
    out.writeBytes(pem);
    byte[] r = out.toByteArray();
    ByteBuffer b = ByteBuffer.wrap(r).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(l.certLen, pem.length);
    b.putInt(l.sigLen, b.getInt(l.sigLen) + delta);
    if (l.outerCertLen > 0) {
      b.putInt(l.outerCertLen, b.getInt(l.outerCertLen) + delta);
    }
    return r;
  }

  static byte[] pemOf(byte[] q) {
    QuoteLayout l = of(q);
    return Arrays.copyOfRange(q, l.pem, l.end);
  }

  static byte[] flip(byte[] q, int offset) {
    byte[] c = q.clone();
    c[offset] ^= 0x01;
    return c;
  }

  static byte[] putU32(byte[] q, int offset, long v) {
    byte[] c = q.clone();
    ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, (int) v);
    return c;
  }

  static byte[] putU16(byte[] q, int offset, int v) {
    byte[] c = q.clone();
    ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putShort(offset, (short) v);
    return c;
  }
}
