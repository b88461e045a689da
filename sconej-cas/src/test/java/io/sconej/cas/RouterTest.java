package io.sconej.cas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sconej.crypto.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every failure of a handler is answered, an {@link Error} included. */
class RouterTest {
  private static Map<String, Object> route(Router.Handler h) throws Exception {
    Router r = new Router().exact("POST", "/v1/x", h);
    Response resp = r.route(new Request("POST", "/v1/x", "", new byte[0], Optional.empty()));
    Map<String, Object> m = Json.parseObject(new String(resp.body(), StandardCharsets.UTF_8));
    m.put("status", (long) resp.status());
    return m;
  }

  @Test
  void errorsOfOneRequestAreAnswered500WithAGenericReason() throws Exception {
    Map<String, Object> expected = Map.of("status", 500L, "error", "internal error");
    assertEquals(
        expected,
        route(
            (req, rest) -> {
              throw new StackOverflowError();
            }));
    assertEquals(
        expected,
        route(
            (req, rest) -> {
              throw new OutOfMemoryError("Java heap space");
            }));
    assertEquals(
        expected,
        route(
            (req, rest) -> {
              throw new IllegalStateException("secret-ish detail");
            }));
  }

  @Test
  void refusalsKeepTheirStatusAndMessage() throws Exception {
    assertEquals(
        Map.of("status", 409L, "error", "stale"),
        route(
            (req, rest) -> {
              throw new CasException(409, "stale");
            }));
  }
}
