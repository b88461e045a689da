package io.sconej.attestation.x509;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** The few DER encodings (ITU-T X.690) a self-signed X.509 certificate needs; nothing more. */
final class Der {
  static final int INTEGER = 0x02;
  static final int BIT_STRING = 0x03;
  static final int OCTET_STRING = 0x04;
  static final int OID = 0x06;
  static final int UTF8_STRING = 0x0c;
  static final int UTC_TIME = 0x17;
  static final int GENERALIZED_TIME = 0x18;
  static final int SEQUENCE = 0x30;
  static final int SET = 0x31;
  static final int BOOLEAN = 0x01;

  private static final DateTimeFormatter UTC_TIME_FORMAT =
      DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");
  private static final DateTimeFormatter GENERALIZED_TIME_FORMAT =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'");

  private Der() {}

  /** Tag, definite length, content. */
  static byte[] tlv(int tag, byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(n + 6);
    out.write(tag);
    if (n < 0x80) {
      out.write(n);
    } else {
      int bytes = (32 - Integer.numberOfLeadingZeros(n) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(n >>> (8 * i));
      }
    }
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static byte[] sequence(byte[]... parts) {
    return tlv(SEQUENCE, parts);
  }

  static byte[] integer(BigInteger v) {
    return tlv(INTEGER, v.toByteArray());
  }

  static byte[] bitString(byte[] bits) {
    byte[] content = new byte[bits.length + 1]; // leading 0: no unused bits
    System.arraycopy(bits, 0, content, 1, bits.length);
    return tlv(BIT_STRING, content);
  }

  /** Context-specific, constructed, explicit tag {@code [n]}. */
  static byte[] explicit(int n, byte[] content) {
    return tlv(0xa0 | n, content);
  }

  /** An OBJECT IDENTIFIER from its dotted form. */
  static byte[] oid(String dotted) {
    String[] arcs = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeBase128(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
    for (int i = 2; i < arcs.length; i++) {
      writeBase128(out, Long.parseLong(arcs[i]));
    }
    return tlv(OID, out.toByteArray());
  }

  private static void writeBase128(ByteArrayOutputStream out, long v) {
    int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(v) + 6) / 7);
    for (int i = groups - 1; i >= 0; i--) {
      int b = (int) ((v >>> (7 * i)) & 0x7f);
      out.write(i == 0 ? b : b | 0x80);
    }
  }

  static byte[] utf8String(String s) {
    return tlv(UTF8_STRING, s.getBytes(StandardCharsets.UTF_8));
  }

  /** RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; whole seconds, UTC. */
  static byte[] time(java.time.Instant t) {
    ZonedDateTime z = t.atZone(ZoneOffset.UTC).withNano(0);
    if (z.getYear() >= 1950 && z.getYear() < 2050) {
      return tlv(UTC_TIME, z.format(UTC_TIME_FORMAT).getBytes(StandardCharsets.US_ASCII));
    }
    return tlv(
        GENERALIZED_TIME, z.format(GENERALIZED_TIME_FORMAT).getBytes(StandardCharsets.US_ASCII));
  }
}
