package io.sconej.crypto.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recursive-descent reader behind {@link Json}: one instance per document. Recursion is
 * bounded by {@link Json#MAX_DEPTH}, so no input can exhaust the stack.
 */
final class JsonParser {
  private final String s;
  private final int maxChars;
  private final boolean recordRaw;
  private final Map<String, String> topLevelRaw = new LinkedHashMap<>();
  private int pos;

  JsonParser(String text, int maxChars, boolean recordRaw) {
    this.s = text;
    this.maxChars = maxChars;
    this.recordRaw = recordRaw;
  }

  /** Parses the whole text as one value; refuses oversized text and trailing content. */
  Object document() throws JsonException {
    if (s.length() > maxChars) {
      throw new JsonException("JSON text longer than " + maxChars + " characters");
    }
    ws();
    Object v = value(0);
    ws();
    if (pos != s.length()) {
      throw error("trailing content after the JSON value");
    }
    return v;
  }

  /** The raw text of each member of the top-level object (recorded only if asked for). */
  Map<String, String> topLevelRaw() {
    return Collections.unmodifiableMap(topLevelRaw);
  }

  private Object value(int depth) throws JsonException {
    if (depth > Json.MAX_DEPTH) {
      throw error("nesting deeper than " + Json.MAX_DEPTH);
    }
    char c = peek();
    return switch (c) {
      case '{' -> object(depth);
      case '[' -> array(depth);
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", Json.NULL);
      default -> {
        if (c == '-' || isDigit(c)) {
          yield number();
        }
        throw error("unexpected character '" + c + "'");
      }
    };
  }

  private Map<String, Object> object(int depth) throws JsonException {
    pos++;
    Map<String, Object> m = new LinkedHashMap<>();
    ws();
    if (peek() == '}') {
      pos++;
      return m;
    }
    while (true) {
      ws();
      if (peek() != '"') {
        throw error("expected a string key");
      }
      String key = string();
      ws();
      expect(':');
      ws();
      int start = pos;
      Object v = value(depth + 1);
      if (m.put(key, v) != null) {
        throw error("duplicate key '" + key + "'");
      }
      if (recordRaw && depth == 0) {
        topLevelRaw.put(key, s.substring(start, pos));
      }
      ws();
      char c = next();
      if (c == '}') {
        return m;
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or '}'");
      }
    }
  }

  private List<Object> array(int depth) throws JsonException {
    pos++;
    List<Object> l = new ArrayList<>();
    ws();
    if (peek() == ']') {
      pos++;
      return Collections.unmodifiableList(l);
    }
    while (true) {
      ws();
      l.add(value(depth + 1));
      ws();
      char c = next();
      if (c == ']') {
        return Collections.unmodifiableList(l);
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or ']'");
      }
    }
  }

  private String string() throws JsonException {
    pos++;
    StringBuilder b = new StringBuilder();
    while (true) {
      char c = next();
      if (c == '"') {
        return b.toString();
      }
      if (c < 0x20) {
        pos--;
        throw error("control character in string");
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char e = next();
      switch (e) {
        case '"', '\\', '/' -> b.append(e);
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'u' -> b.append(unicodeEscape());
        default -> {
          pos--;
          throw error("bad escape '\\" + e + "'");
        }
      }
    }
  }

  /** Exactly four hex digits (Integer.parseInt alone would take a sign, "+1ab"). */
  private char unicodeEscape() throws JsonException {
    if (pos + 4 > s.length()) {
      throw error("truncated \\u escape");
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
      char c = s.charAt(pos + i);
      int d =
          c >= '0' && c <= '9'
              ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) {
        throw error("bad \\u escape");
      }
      v = v << 4 | d;
    }
    pos += 4;
    return (char) v;
  }

  private Long number() throws JsonException {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    while (pos < s.length() && isDigit(s.charAt(pos))) {
      pos++;
    }
    String t = s.substring(start, pos);
    String digits = t.startsWith("-") ? t.substring(1) : t;
    if (digits.isEmpty() || (digits.length() > 1 && digits.charAt(0) == '0')) {
      pos = start;
      throw error("malformed number");
    }
    if (pos < s.length() && ".eE".indexOf(s.charAt(pos)) >= 0) {
      throw error("only integers are accepted");
    }
    try {
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      pos = start;
      throw error("integer out of range");
    }
  }

  /** ASCII digits only: {@link Character#isDigit} would take any script's digits. */
  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private Object literal(String word, Object v) throws JsonException {
    if (!s.startsWith(word, pos)) {
      throw error("unexpected token");
    }
    pos += word.length();
    return v;
  }

  private void ws() {
    while (pos < s.length() && " \t\r\n".indexOf(s.charAt(pos)) >= 0) {
      pos++;
    }
  }

  private char peek() throws JsonException {
    if (pos >= s.length()) {
      throw error("unexpected end of input");
    }
    return s.charAt(pos);
  }

  private char next() throws JsonException {
    char c = peek();
    pos++;
    return c;
  }

  private void expect(char c) throws JsonException {
    if (next() != c) {
      pos--;
      throw error("expected '" + c + "'");
    }
  }

  private JsonException error(String what) {
    int line = 1;
    int col = 1;
    for (int i = 0; i < Math.min(pos, s.length()); i++) {
      if (s.charAt(i) == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
    return new JsonException("bad JSON at line " + line + ", column " + col + ": " + what);
  }
}
