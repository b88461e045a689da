package io.sconej.crypto.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one JSON parser, used by the CAS client, the CAS and the DCAP verifier (the test sets of the
 * former {@code cas.client.Json} and {@code dcap.Json}, merged).
 */
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

  @Test
  void acceptsEveryRfc8259EscapeAndIntegerForm() throws Exception {
    assertEquals("\"\\/\b\f\n\r\tA\u00e9\uffff", Json.parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t"
        + "\\u0041\\u00E9\\uFFff\""));
    assertEquals(List.of(0L, -0L, Long.MAX_VALUE, Long.MIN_VALUE),
        Json.parse(" [0, -0, 9223372036854775807, -9223372036854775808] "));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "{",
        "{\"a\":1,}",
        "{\"a\":1}x",
        "[1] [2]",
        "[1.5]",
        "[1e3]",
        "[01]",
        "[-01]",
        "[+1]",
        "[-]",
        "{\"a\":1,\"a\":2}",
        "{a:1}",
        "{'a':1}",
        "\"\\q\"",
        "\"\\x41\"",
        "\"\u0001\"",
        "\"unterminated",
        "[tru]",
        "[nul]",
        "[99999999999999999999]",
        "[9223372036854775808]",
        "-",
        "[\"\\u12\"]",
        "[\"\\u+123\"]",
        "[\"\\u-123\"]",
        "[\"\\u 123\"]",
        "[\"\\u12g4\"]",
        "[\"\\u\uff11\uff12\uff13\uff14\"]",
        "[1\u0663]",
        "[\u0661]",
        "[1,]",
        "[,1]",
        "\u00a0[1]"
      })
  void refusesMalformed(String text) {
    var e = assertThrows(JsonException.class, () -> Json.parse(text));
    assertTrue(e.getMessage().contains("line 1"), e.getMessage());
  }

  @Test
  void refusesDeepNestingAndNamesLineAndColumn() throws Exception {
    String ok = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
    Json.parse(ok);
    String deep = "[".repeat(Json.MAX_DEPTH + 2) + "]".repeat(Json.MAX_DEPTH + 2);
    assertTrue(assertThrows(JsonException.class, () -> Json.parse(deep)).getMessage()
        .contains("nesting deeper than " + Json.MAX_DEPTH));
    String hostile = "{\"a\":".repeat(100_000);
    assertThrows(JsonException.class, () -> Json.parse(hostile));
    var e = assertThrows(JsonException.class, () -> Json.parse("{\n  \"a\": 1,\n  \"b\" 2}"));
    assertTrue(e.getMessage().contains("line 3, column 7"), e.getMessage());
  }

  @Test
  void refusesTextOverTheSizeLimit() throws Exception {
    String text = "[\"" + "x".repeat(100) + "\"]";
    Json.parse(text, text.length());
    var e = assertThrows(JsonException.class, () -> Json.parse(text, text.length() - 1));
    assertTrue(e.getMessage().contains("longer than " + (text.length() - 1)), e.getMessage());
    assertThrows(JsonException.class, () -> Json.rawMembers("{\"a\":" + text + "}", 50));
    assertEquals(16 << 20, Json.MAX_CHARS);
  }

  @Test
  void rawMembersAreTheExactSourceTextOfEachTopLevelMember() throws Exception {
    String text = "{ \"tcbInfo\" : {\"b\" : [1,  2], \"a\":\"\\u0041\"} ,\n"
        + "\"signature\":\"ab\", \"n\": -7 }";
    Map<String, String> raw = Json.rawMembers(text, 1 << 20);
    assertEquals(List.of("tcbInfo", "signature", "n"), List.copyOf(raw.keySet()));
    assertEquals("{\"b\" : [1,  2], \"a\":\"\\u0041\"}", raw.get("tcbInfo"));
    assertEquals("\"ab\"", raw.get("signature"));
    assertEquals("-7", raw.get("n"));
    for (String bad : List.of("[1]", "{\"a\":1,\"a\":1}", "{\"a\":1} x", "{\"a\":{\"b\":1,}}")) {
      assertThrows(JsonException.class, () -> Json.rawMembers(bad, 1 << 20), bad);
    }
  }

  @Test
  void errorsNameNoStringValue() {
    var e = assertThrows(JsonException.class,
        () -> Json.parse("{\"password\": \"hunter2-secret\", }"));
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    e = assertThrows(JsonException.class, () -> Json.parse("[\"s3cret\\q\"]"));
    assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
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
    assertThrows(JsonException.class, () -> Json.parseObject("[1]"));
  }
}
