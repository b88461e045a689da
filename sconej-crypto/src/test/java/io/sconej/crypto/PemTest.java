package io.sconej.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PemTest {
  @Test
  void roundTripsSeveralBlocksAndSkipsOtherLabels() {
    byte[] a = new byte[200];
    byte[] b = {1, 2, 3};
    for (int i = 0; i < a.length; i++) {
      a[i] = (byte) i;
    }
    String text = "junk\n" + Pem.encode("CERTIFICATE", a) + Pem.encode("PRIVATE KEY", b)
        + Pem.encode("CERTIFICATE", b);
    List<byte[]> certs = Pem.decode(text, "CERTIFICATE");
    assertEquals(2, certs.size());
    assertArrayEquals(a, certs.get(0));
    assertArrayEquals(b, certs.get(1));
    assertTrue(Pem.decode(text, "PUBLIC KEY").isEmpty());
    assertTrue(Pem.encode("X", a).lines().allMatch(l -> l.length() <= 64));
  }

  @Test
  void refusesUnterminatedBlocksAndBadBase64NamingTheLabel() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> Pem.decode("-----BEGIN CERTIFICATE-----\nAAAA\n", "CERTIFICATE"));
    assertTrue(e.getMessage().contains("CERTIFICATE"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Pem.decode(
        "-----BEGIN CERTIFICATE-----\nQQ=Q\n-----END CERTIFICATE-----\n", "CERTIFICATE"));
  }
}
