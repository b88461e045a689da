package io.sconej.verifier.dcap;

import io.sconej.verifier.dcap.DcapVerificationException.Reason;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The Intel SGX extension (OID 1.2.840.113741.1.13.1) of a PCK certificate: FMSPC, PCE-ID and the
 * platform TCB (16 CPU SVN components and the PCE SVN). Read with a minimal strict DER reader.
 */
record PckExtension(byte[] fmspc, byte[] pceId, int[] cpuSvns, int pceSvn) {
  private static final String SGX_EXTENSION = "1.2.840.113741.1.13.1";
  private static final byte[] SGX_PREFIX = HexFormat.of().parseHex("2a864886f84d010d01");

  static PckExtension of(X509Certificate pck) throws DcapVerificationException {
    byte[] ext = pck.getExtensionValue(SGX_EXTENSION);
    if (ext == null) {
      throw fail("PCK certificate has no SGX extension");
    }
    Der outer = new Der(ext, 0, ext.length);
    Der seq = outer.next(0x04).content().next(0x30).content();
    byte[] fmspc = null;
    byte[] pceId = null;
    int[] svns = null;
    int pceSvn = -1;
    while (seq.hasMore()) {
      Der entry = seq.next(0x30).content();
      byte[] oid = entry.next(0x06).bytes();
      if (oid.length != SGX_PREFIX.length + 1 || !startsWith(oid, SGX_PREFIX)) {
        continue;
      }
      switch (oid[oid.length - 1]) {
        case 2 -> {
          svns = new int[16];
          Der tcb = entry.next(0x30).content();
          while (tcb.hasMore()) {
            Der comp = tcb.next(0x30).content();
            byte[] coid = comp.next(0x06).bytes();
            int n = coid[coid.length - 1];
            if (coid.length == SGX_PREFIX.length + 2 && n >= 1 && n <= 16) {
              svns[n - 1] = comp.next(0x02).smallInt();
            } else if (coid.length == SGX_PREFIX.length + 2 && n == 17) {
              pceSvn = comp.next(0x02).smallInt();
            }
          }
        }
        case 3 -> pceId = entry.next(0x04).bytes();
        case 4 -> fmspc = entry.next(0x04).bytes();
        default -> {}
      }
    }
    if (fmspc == null
        || fmspc.length != 6
        || pceId == null
        || pceId.length != 2
        || svns == null
        || pceSvn < 0) {
      throw fail("PCK SGX extension lacks FMSPC, PCE-ID or TCB");
    }
    return new PckExtension(fmspc, pceId, svns, pceSvn);
  }

  private static boolean startsWith(byte[] a, byte[] prefix) {
    return Arrays.equals(a, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static DcapVerificationException fail(String msg) {
    return new DcapVerificationException(Reason.MALFORMED_CERTIFICATE, msg);
  }

  /** Cursor over DER TLVs within [pos, end). Only definite lengths of up to 4 bytes. */
  private static final class Der {
    private final byte[] b;
    private final int end;
    private int pos;
    private int tlvStart;
    private int tlvEnd;

    Der(byte[] b, int pos, int end) {
      this.b = b;
      this.pos = pos;
      this.end = end;
    }

    boolean hasMore() {
      return pos < end;
    }

    /** Reads the next TLV, which must have {@code tag}; positions on its content. */
    Der next(int tag) throws DcapVerificationException {
      if (pos + 2 > end || (b[pos] & 0xff) != tag) {
        throw fail("PCK SGX extension: expected DER tag 0x" + Integer.toHexString(tag));
      }
      int len = b[pos + 1] & 0xff;
      int p = pos + 2;
      if (len >= 0x80) {
        int n = len & 0x7f;
        if (n == 0 || n > 3 || p + n > end) {
          throw fail("PCK SGX extension: bad DER length");
        }
        len = 0;
        for (int i = 0; i < n; i++) {
          len = len << 8 | (b[p++] & 0xff);
        }
      }
      if (len > end - p) {
        throw fail("PCK SGX extension: DER length past end");
      }
      tlvStart = p;
      tlvEnd = p + len;
      pos = tlvEnd;
      return this;
    }

    Der content() {
      return new Der(b, tlvStart, tlvEnd);
    }

    byte[] bytes() {
      return Arrays.copyOfRange(b, tlvStart, tlvEnd);
    }

    int smallInt() throws DcapVerificationException {
      int len = tlvEnd - tlvStart;
      if (len < 1 || len > 3 || (b[tlvStart] & 0x80) != 0) {
        throw fail("PCK SGX extension: SVN is not a small non-negative integer");
      }
      int v = 0;
      for (int i = tlvStart; i < tlvEnd; i++) {
        v = v << 8 | (b[i] & 0xff);
      }
      return v;
    }
  }
}
