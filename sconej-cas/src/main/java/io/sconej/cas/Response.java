package io.sconej.cas;

import io.sconej.crypto.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP response.
 *
 * @param status the status
 * @param contentType the Content-Type
 * @param body the body
 */
record Response(int status, String contentType, byte[] body) {
  /** A JSON response. */
  static Response json(int status, Object value) {
    return new Response(
        status, "application/json", Json.write(value).getBytes(StandardCharsets.UTF_8));
  }

  /** An error response {@code {"error": message}}. */
  static Response error(int status, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", message);
    return json(status, m);
  }
}
