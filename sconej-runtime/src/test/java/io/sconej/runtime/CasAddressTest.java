package io.sconej.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one parser of {@code --cas}: both forms, and every malformed address named. */
class CasAddressTest {
  @Test
  void bothFormsParse() {
    assertEquals(new CasAddress("127.0.0.1", 9443), CasAddress.parse("127.0.0.1:9443"));
    assertEquals(new CasAddress("127.0.0.1", 9443), CasAddress.parse("https://127.0.0.1:9443"));
    assertEquals(new CasAddress("127.0.0.1", 9443), CasAddress.parse("https://127.0.0.1:9443/"));
    assertEquals(new CasAddress("cas.example", 8443), CasAddress.parse("https://cas.example"));
    assertEquals(new CasAddress("[::1]", 1), CasAddress.parse("[::1]:1"));
    assertEquals(new CasAddress("[::1]", 8443), CasAddress.parse("https://[::1]"));
    assertEquals(new CasAddress("[::1]", 65535), CasAddress.parse("https://[::1]:65535"));
  }

  @Test
  void malformedAddressesAreNamed() {
    for (String bad : List.of("https://127.0.0.1:99999", "127.0.0.1:99999", "127.0.0.1:0",
        "127.0.0.1:-1", "127.0.0.1:+80", "127.0.0.1", "127.0.0.1:", ":8443", "http://h:1",
        "https://h:1/path", "https://u@h:1", "https://h:1?q", "https://:1", "https://h:x",
        "h/x:1", "[::1]", "https://h:99999999999", "")) {
      var e = assertThrows(IllegalArgumentException.class, () -> CasAddress.parse(bad), bad);
      assertTrue(e.getMessage().startsWith("--cas: not a CAS address: '" + bad + "' ("),
          e.getMessage());
      assertEquals(1, e.getMessage().lines().count());
    }
  }
}
