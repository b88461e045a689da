package io.sconej.verifier.dcap;

import io.sconej.verifier.dcap.DcapVerificationException.Reason;
import java.util.Arrays;

/** Bounds-checked little-endian cursor over quote bytes; errors name the field and offset. */
final class QuoteReader {
  private final byte[] data;
  private final int limit;
  private int pos;

  QuoteReader(byte[] data, int start, int limit) {
    this.data = data;
    this.pos = start;
    this.limit = limit;
  }

  int position() {
    return pos;
  }

  int remaining() {
    return limit - pos;
  }

  private void need(int n, String field) throws DcapVerificationException {
    if (n < 0 || n > limit - pos) {
      throw new DcapVerificationException(
          Reason.MALFORMED_QUOTE,
          field
              + " at offset "
              + pos
              + ": needs "
              + Integer.toUnsignedString(n)
              + " bytes, "
              + (limit - pos)
              + " available");
    }
  }

  byte[] bytes(int n, String field) throws DcapVerificationException {
    need(n, field);
    byte[] out = Arrays.copyOfRange(data, pos, pos + n);
    pos += n;
    return out;
  }

  int u16(String field) throws DcapVerificationException {
    need(2, field);
    int v = (data[pos] & 0xff) | (data[pos + 1] & 0xff) << 8;
    pos += 2;
    return v;
  }

  /** Reads an unsigned 32-bit length; values above Integer.MAX_VALUE are returned negative. */
  int u32(String field) throws DcapVerificationException {
    need(4, field);
    int v =
        (data[pos] & 0xff)
            | (data[pos + 1] & 0xff) << 8
            | (data[pos + 2] & 0xff) << 16
            | (data[pos + 3] & 0xff) << 24;
    pos += 4;
    return v;
  }

  static int u16(byte[] b, int off) {
    return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
  }

  static long u32(byte[] b, int off) {
    return ((b[off] & 0xffL) | (b[off + 1] & 0xffL) << 8 | (b[off + 2] & 0xffL) << 16)
        | (b[off + 3] & 0xffL) << 24;
  }

  static long u64(byte[] b, int off) {
    return u32(b, off) | u32(b, off + 4) << 32;
  }
}
