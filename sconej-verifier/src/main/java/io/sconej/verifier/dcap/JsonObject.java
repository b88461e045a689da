package io.sconej.verifier.dcap;

import io.sconej.crypto.json.Json;
import io.sconej.crypto.json.JsonException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Intel collateral as JSON: parsed by sconej's one strict parser ({@link Json}, at most {@value
 * #MAX_CHARS} characters per document), with typed, path-naming access to its objects; every
 * refusal is MALFORMED_COLLATERAL.
 */
record JsonObject(Map<?, ?> map, String path) {
  /** Largest collateral document accepted, in characters. */
  static final int MAX_CHARS = 1 << 20;

  /** Parses a complete collateral document; {@code what} names it in errors. */
  static Object parse(String text, String what) throws DcapVerificationException {
    try {
      return Json.parse(text, MAX_CHARS);
    } catch (JsonException e) {
      throw fail(what, "invalid JSON (" + e.getMessage() + ")");
    }
  }

  /** Parses a top-level object and returns the raw source text of each member value. */
  static Map<String, String> rawMembers(String text, String what)
      throws DcapVerificationException {
    try {
      return Json.rawMembers(text, MAX_CHARS);
    } catch (JsonException e) {
      throw fail(what, "invalid JSON (" + e.getMessage() + ")");
    }
  }

  /** A MALFORMED_COLLATERAL refusal naming the path and the problem. */
  static DcapVerificationException fail(String what, String msg) {
    return new DcapVerificationException(
        DcapVerificationException.Reason.MALFORMED_COLLATERAL, what + ": " + msg);
  }

  static JsonObject of(Object v, String path) throws DcapVerificationException {
    if (!(v instanceof Map<?, ?> m)) {
      throw fail(path, "not an object");
    }
    return new JsonObject(m, path);
  }

  boolean has(String key) {
    return map.containsKey(key);
  }

  private Object get(String key) throws DcapVerificationException {
    Object v = map.get(key);
    if (v == null) {
      throw fail(path + "." + key, "missing");
    }
    return v;
  }

  JsonObject object(String key) throws DcapVerificationException {
    return of(get(key), path + "." + key);
  }

  String string(String key) throws DcapVerificationException {
    if (!(get(key) instanceof String str)) {
      throw fail(path + "." + key, "not a string");
    }
    return str;
  }

  long integer(String key, long min, long max) throws DcapVerificationException {
    if (!(get(key) instanceof Long l) || l < min || l > max) {
      throw fail(path + "." + key, "not an integer in [" + min + ", " + max + "]");
    }
    return l;
  }

  byte[] hex(String key, int bytes) throws DcapVerificationException {
    String h = string(key);
    if (h.length() != 2 * bytes || !h.matches("[0-9a-fA-F]*")) {
      throw fail(path + "." + key, "not " + bytes + " bytes of hex");
    }
    return HexFormat.of().parseHex(h);
  }

  Instant instant(String key) throws DcapVerificationException {
    try {
      return Instant.parse(string(key));
    } catch (DateTimeParseException e) {
      throw fail(path + "." + key, "not an ISO-8601 instant");
    }
  }

  List<JsonObject> objects(String key) throws DcapVerificationException {
    if (!(get(key) instanceof List<?> l)) {
      throw fail(path + "." + key, "not an array");
    }
    List<JsonObject> out = new ArrayList<>();
    for (int i = 0; i < l.size(); i++) {
      out.add(of(l.get(i), path + "." + key + "[" + i + "]"));
    }
    return out;
  }

  List<String> strings(String key) throws DcapVerificationException {
    if (!has(key)) {
      return List.of();
    }
    if (!(get(key) instanceof List<?> l)) {
      throw fail(path + "." + key, "not an array");
    }
    List<String> out = new ArrayList<>();
    for (Object o : l) {
      if (!(o instanceof String str)) {
        throw fail(path + "." + key, "not an array of strings");
      }
      out.add(str);
    }
    return List.copyOf(out);
  }
}
