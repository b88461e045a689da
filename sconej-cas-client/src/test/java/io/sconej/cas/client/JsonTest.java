package io.sconej.cas.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {
  @Test
  void roundTrips() throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "a\"b\\c\n\u0001é");
    m.put("n", -42L);
    m.put("b", true);
    m.put("z", Json.NULL);
    m.put("l", List.of("x", 1L, List.of()));
    m.put("o", Map.of("k", "v"));
    String text = Json.write(m);
    Map<String, Object> back = Json.parseObject(text);
    assertEquals(Json.write(back), text);
    assertEquals("a\"b\\c\n\u0001é", Json.string(back, "s"));
    assertEquals(-42L, Json.integer(back, "n"));
    assertTrue(Json.optString(back, "z").isEmpty());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "{",
        "{\"a\":1,}",
        "{\"a\":1}x",
        "[1.5]",
        "[1e3]",
        "[01]",
        "{\"a\":1,\"a\":2}",
        "{a:1}",
        "\"\\q\"",
        "\"\u0001\"",
        "[tru]",
        "[99999999999999999999]",
        "-",
        "[\"\\u12\"]"
      })
  void refusesMalformed(String text) {
    var e = assertThrows(JsonException.class, () -> Json.parse(text));
    assertTrue(e.getMessage().contains("line 1"), e.getMessage());
  }

  @Test
  void refusesDeepNestingAndNamesLineAndColumn() {
    String deep = "[".repeat(Json.MAX_DEPTH + 2) + "]".repeat(Json.MAX_DEPTH + 2);
    assertThrows(JsonException.class, () -> Json.parse(deep));
    var e = assertThrows(JsonException.class, () -> Json.parse("{\n  \"a\": 1,\n  \"b\" 2}"));
    assertTrue(e.getMessage().contains("line 3, column 7"), e.getMessage());
  }

  @Test
  void typedAccessorsNameTheField() throws Exception {
    Map<String, Object> m = Json.parseObject("{\"a\": 1}");
    assertTrue(
        assertThrows(JsonException.class, () -> Json.string(m, "a")).getMessage().contains("'a'"));
    assertTrue(
        assertThrows(JsonException.class, () -> Json.string(m, "b"))
            .getMessage()
            .contains("'b' is missing"));
  }
}
