package io.sconej.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HkdfTest {
  /** RFC 5869 test case 1 (SHA-256). */
  @Test
  void rfc5869Case1() throws Exception {
    SecretBytes ikm = SecretBytes.copyOf(Hex.decode("0b".repeat(22), "ikm"));
    byte[] salt = Hex.decode("000102030405060708090a0b0c", "salt");
    byte[] info = Hex.decode("f0f1f2f3f4f5f6f7f8f9", "info");
    SecretBytes okm = Hkdf.sha256(ikm, salt, info, 42);
    assertEquals(
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
        Hex.encode(okm.bytes(InsecureSecretAccess.get())));
  }

  @Test
  void secretToStringIsRedacted() {
    SecretBytes s = SecretBytes.copyOf(Hex.decode("deadbeef", "k"));
    assertEquals(false, s.toString().contains("deadbeef"));
  }

  @Test
  void hexRefusesGarbageWithoutEchoingIt() {
    var e = assertThrows(IllegalArgumentException.class, () -> Hex.decode("zz11", "volume tag"));
    assertEquals("volume tag: not a hex digit at position 0", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Hex.decode("abc", "x"));
  }
}
