package io.sconej.cas.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A small strict JSON reader and writer (RFC 8259 subset) shared by the CAS client and server, so
 * that no JSON library is loaded into the enclave.
 *
 * <p>Values map to {@code Map<String, Object>} (insertion ordered), {@code List<Object>}, {@code
 * String}, {@code Long}, {@code Boolean} and {@link #NULL}. Refuses, naming line and column:
 * numbers that are not integers in the {@code long} range, duplicate keys, nesting deeper than
 * {@value #MAX_DEPTH}, trailing content, unpaired surrogates are passed through as is. Typed
 * accessors ({@link #string}, ...) refuse missing or mistyped fields naming the field.
 */
public final class Json {
  /** Maximum nesting depth accepted by the reader. */
  public static final int MAX_DEPTH = 32;

  /** The JSON {@code null} (public APIs carry no Java nulls). */
  public static final Object NULL =
      new Object() {
        @Override
        public String toString() {
          return "null";
        }
      };

  private final String s;
  private int pos;

  private Json(String s) {
    this.s = s;
  }

  /** Parses one JSON value; refuses anything else (trailing text included). */
  public static Object parse(String text) throws JsonException {
    Json p = new Json(text);
    p.ws();
    Object v = p.value(0);
    p.ws();
    if (p.pos != p.s.length()) {
      throw p.error("trailing content after the JSON value");
    }
    return v;
  }

  /** Parses a JSON object; refuses any other top-level value. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(String text) throws JsonException {
    Object v = parse(text);
    if (!(v instanceof Map)) {
      throw new JsonException("expected a JSON object at line 1, column 1");
    }
    return (Map<String, Object>) v;
  }

  /** A required string field. */
  public static String string(Map<String, Object> o, String field) throws JsonException {
    return optString(o, field).orElseThrow(() -> missing(field));
  }

  /** An optional string field (absent or JSON null is empty; other types are refused). */
  public static Optional<String> optString(Map<String, Object> o, String field)
      throws JsonException {
    Object v = o.get(field);
    if (v == null || v == NULL) {
      return Optional.empty();
    }
    if (v instanceof String str) {
      return Optional.of(str);
    }
    throw new JsonException("field '" + field + "': expected a string");
  }

  /** A required integer field. */
  public static long integer(Map<String, Object> o, String field) throws JsonException {
    Object v = o.get(field);
    if (v instanceof Long l) {
      return l;
    }
    throw v == null
        ? missing(field)
        : new JsonException("field '" + field + "': expected an integer");
  }

  /** A required object field. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> object(Map<String, Object> o, String field)
      throws JsonException {
    Object v = o.get(field);
    if (v instanceof Map) {
      return (Map<String, Object>) v;
    }
    throw v == null
        ? missing(field)
        : new JsonException("field '" + field + "': expected an object");
  }

  /** A required array field. */
  @SuppressWarnings("unchecked")
  public static List<Object> array(Map<String, Object> o, String field) throws JsonException {
    Object v = o.get(field);
    if (v instanceof List) {
      return (List<Object>) v;
    }
    throw v == null
        ? missing(field)
        : new JsonException("field '" + field + "': expected an array");
  }

  private static JsonException missing(String field) {
    return new JsonException("field '" + field + "' is missing");
  }

  /** Writes a value built of maps, lists, strings, numbers, booleans and {@link #NULL}. */
  public static String write(Object value) {
    StringBuilder b = new StringBuilder();
    write(b, value);
    return b.toString();
  }

  private static void write(StringBuilder b, Object v) {
    switch (v) {
      case null -> b.append("null");
      case String str -> quote(b, str);
      case Long l -> b.append(l);
      case Integer i -> b.append(i);
      case Boolean bo -> b.append(bo);
      case Map<?, ?> m -> {
        b.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          b.append(first ? "" : ",");
          first = false;
          quote(b, (String) e.getKey());
          b.append(':');
          write(b, e.getValue());
        }
        b.append('}');
      }
      case List<?> l -> {
        b.append('[');
        for (int i = 0; i < l.size(); i++) {
          b.append(i == 0 ? "" : ",");
          write(b, l.get(i));
        }
        b.append(']');
      }
      default -> {
        if (v == NULL) {
          b.append("null");
        } else {
          throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
        }
      }
    }
  }

  private static void quote(StringBuilder b, String str) {
    b.append('"');
    for (int i = 0; i < str.length(); i++) {
      char c = str.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  private Object value(int depth) throws JsonException {
    if (depth > MAX_DEPTH) {
      throw error("nesting deeper than " + MAX_DEPTH);
    }
    if (pos >= s.length()) {
      throw error("unexpected end of input");
    }
    char c = s.charAt(pos);
    return switch (c) {
      case '{' -> object(depth);
      case '[' -> array(depth);
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", NULL);
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
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
      Object v = value(depth + 1);
      if (m.put(key, v) != null) {
        throw error("duplicate key '" + key + "'");
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
        case 'u' -> {
          if (pos + 4 > s.length()) {
            throw error("truncated \\u escape");
          }
          try {
            b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
          } catch (NumberFormatException ex) {
            throw error("bad \\u escape");
          }
          pos += 4;
        }
        default -> {
          pos--;
          throw error("bad escape '\\" + e + "'");
        }
      }
    }
  }

  private Long number() throws JsonException {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
      pos++;
    }
    String t = s.substring(start, pos);
    if (pos < s.length() && ".eE".indexOf(s.charAt(pos)) >= 0) {
      throw error("only integers are accepted");
    }
    if (t.equals("-") || (t.length() > 1 && t.charAt(t.charAt(0) == '-' ? 1 : 0) == '0')) {
      pos = start;
      throw error("malformed number");
    }
    try {
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      pos = start;
      throw error("integer out of range");
    }
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
