package io.sconej.crypto.json;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one strict JSON reader and writer (RFC 8259, integers only) of sconej: the enclave's CAS
 * client, the CAS and the DCAP verifier share it, so that no JSON library is loaded into the
 * enclave and there is one parser to review.
 *
 * <p>Values map to {@code Map<String, Object>} (insertion ordered), {@code List<Object>}, {@code
 * String}, {@code Long}, {@code Boolean} and {@link #NULL}. {@link #rawMembers} also gives the
 * exact source text of each member of a top-level object, because Intel signs the raw text of
 * {@code "tcbInfo"} and {@code "enclaveIdentity"}.
 *
 * <p>Refuses, naming line and column: text longer than the size limit ({@value #MAX_CHARS}
 * characters unless the caller sets a smaller one), nesting deeper than {@value #MAX_DEPTH},
 * duplicate keys, trailing content, numbers that are not integers in the {@code long} range or
 * are not written in ASCII digits, leading zeros, escapes other than RFC 8259's, backslash-u
 * escapes that are not four hex digits, and raw control characters in strings. Unpaired
 * surrogates are passed through as they are (RFC 8259 allows them, and the writer writes what it
 * is given, so stored records always read back). Typed accessors ({@link #string}, ...) refuse
 * missing or mistyped fields naming the field. Error messages name positions, keys and fields,
 * never a string value.
 */
public final class Json {
  /** Maximum nesting depth accepted by the reader. */
  public static final int MAX_DEPTH = 32;

  /** Default (and largest) accepted text length, in chars: the CAS store's record limit. */
  public static final int MAX_CHARS = 16 << 20;

  /** The JSON {@code null} (public APIs carry no Java nulls). */
  public static final Object NULL =
      new Object() {
        @Override
        public String toString() {
          return "null";
        }
      };

  private Json() {}

  /** Parses one JSON value of at most {@link #MAX_CHARS} chars; refuses anything else. */
  public static Object parse(String text) throws JsonException {
    return parse(text, MAX_CHARS);
  }

  /**
   * Parses one JSON value of at most {@code maxChars} chars (capped at {@link #MAX_CHARS}).
   *
   * @throws JsonException naming the line and column of the first violation
   */
  public static Object parse(String text, int maxChars) throws JsonException {
    return new JsonParser(text, Math.min(maxChars, MAX_CHARS), false).document();
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

  /**
   * Parses a top-level JSON object of at most {@code maxChars} chars, as strictly as {@link
   * #parse}, and returns each member's value exactly as it appears in {@code text} (the bytes a
   * signature covers), in document order.
   *
   * @throws JsonException if the text is not one valid JSON object
   */
  public static Map<String, String> rawMembers(String text, int maxChars) throws JsonException {
    JsonParser p = new JsonParser(text, Math.min(maxChars, MAX_CHARS), true);
    if (!(p.document() instanceof Map)) {
      throw new JsonException("expected a JSON object at line 1, column 1");
    }
    return p.topLevelRaw();
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
}
