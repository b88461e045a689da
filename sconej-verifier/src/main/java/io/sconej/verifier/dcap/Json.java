package io.sconej.verifier.dcap;

import io.sconej.verifier.dcap.DcapVerificationException.Reason;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON parser for Intel collateral: objects (duplicate keys refused), arrays,
 * strings, integers (as {@code Long}; fractions and exponents refused), booleans and null. Depth
 * and size are bounded. It also records, for a top-level object, the exact source text of each
 * member value, because Intel signs the raw text of {@code "tcbInfo"} / {@code "enclaveIdentity"}.
 */
final class Json {
  private static final int MAX_DEPTH = 16;
  private static final int MAX_CHARS = 1 << 20;
  private final String s;
  private final Map<String, String> topLevelRaw = new LinkedHashMap<>();
  private int pos;

  private Json(String s) {
    this.s = s;
  }

  /** Parses a complete document. */
  static Object parse(String text, String what) throws DcapVerificationException {
    return new Json(check(text, what)).document(what);
  }

  /** Parses a top-level object and returns the raw source text of each member value. */
  static Map<String, String> rawMembers(String text, String what) throws DcapVerificationException {
    Json j = new Json(check(text, what));
    if (!(j.document(what) instanceof Map)) {
      throw fail(what, "top level is not an object");
    }
    return Collections.unmodifiableMap(j.topLevelRaw);
  }

  private static String check(String text, String what) throws DcapVerificationException {
    if (text.length() > MAX_CHARS) {
      throw fail(what, "longer than " + MAX_CHARS + " characters");
    }
    return text;
  }

  private Object document(String what) throws DcapVerificationException {
    try {
      Object v = value(0);
      ws();
      if (pos != s.length()) {
        throw new IllegalArgumentException("trailing characters at " + pos);
      }
      return v;
    } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
      throw fail(what, "invalid JSON (" + e.getMessage() + ")");
    }
  }

  static DcapVerificationException fail(String what, String msg) {
    return new DcapVerificationException(Reason.MALFORMED_COLLATERAL, what + ": " + msg);
  }

  private void ws() {
    while (pos < s.length() && " \t\r\n".indexOf(s.charAt(pos)) >= 0) {
      pos++;
    }
  }

  private IllegalArgumentException err(String msg) {
    return new IllegalArgumentException(msg + " at " + pos);
  }

  private Object value(int depth) {
    if (depth > MAX_DEPTH) {
      throw err("nesting too deep");
    }
    ws();
    if (pos >= s.length()) {
      throw err("unexpected end");
    }
    char c = s.charAt(pos);
    return switch (c) {
      case '{' -> object(depth);
      case '[' -> array(depth);
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", JsonNull.NULL);
      default -> number();
    };
  }

  enum JsonNull {
    NULL
  }

  private Object literal(String word, Object v) {
    if (!s.startsWith(word, pos)) {
      throw err("bad literal");
    }
    pos += word.length();
    return v;
  }

  private Map<String, Object> object(int depth) {
    pos++;
    Map<String, Object> m = new LinkedHashMap<>();
    ws();
    if (s.charAt(pos) == '}') {
      pos++;
      return m;
    }
    while (true) {
      ws();
      if (s.charAt(pos) != '"') {
        throw err("expected key");
      }
      String key = string();
      ws();
      if (s.charAt(pos++) != ':') {
        throw err("expected ':'");
      }
      ws();
      int start = pos;
      Object v = value(depth + 1);
      if (m.put(key, v) != null) {
        throw err("duplicate key '" + key + "'");
      }
      if (depth == 0) {
        topLevelRaw.put(key, s.substring(start, pos));
      }
      ws();
      char c = s.charAt(pos++);
      if (c == '}') {
        return m;
      }
      if (c != ',') {
        throw err("expected ',' or '}'");
      }
    }
  }

  private List<Object> array(int depth) {
    pos++;
    List<Object> l = new ArrayList<>();
    ws();
    if (s.charAt(pos) == ']') {
      pos++;
      return l;
    }
    while (true) {
      l.add(value(depth + 1));
      ws();
      char c = s.charAt(pos++);
      if (c == ']') {
        return l;
      }
      if (c != ',') {
        throw err("expected ',' or ']'");
      }
    }
  }

  private String string() {
    pos++;
    StringBuilder b = new StringBuilder();
    while (true) {
      char c = s.charAt(pos++);
      if (c == '"') {
        return b.toString();
      }
      if (c < 0x20) {
        throw err("control character in string");
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char e = s.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> b.append(e);
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'u' -> {
          b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
          pos += 4;
        }
        default -> throw err("bad escape");
      }
    }
  }

  private Long number() {
    int start = pos;
    if (s.charAt(pos) == '-') {
      pos++;
    }
    while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
      pos++;
    }
    String t = s.substring(start, pos);
    if (t.isEmpty() || t.equals("-") || (t.length() > 1 && t.matches("-?0\\d.*"))) {
      throw err("bad number");
    }
    if (pos < s.length() && ".eE".indexOf(s.charAt(pos)) >= 0) {
      throw err("only integers are accepted");
    }
    if (t.length() > 18) {
      throw err("integer too large");
    }
    return Long.parseLong(t);
  }
}
