package io.sconej.attestation.measure;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The length-prefixed primitives of the measurement encoding (docs/formats/measurement.md). */
final class Encoding {
  private Encoding() {}

  /** {@code u32be(n)}. */
  static void u32(MessageDigest md, int n) {
    md.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
  }

  /** {@code str(s) = u32be(len(UTF-8(s))) || UTF-8(s)}. */
  static void str(MessageDigest md, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    u32(md, b.length);
    md.update(b);
  }
}
