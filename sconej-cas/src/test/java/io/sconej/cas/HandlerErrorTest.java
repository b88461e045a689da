package io.sconej.cas;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.cas.client.CasConnection;
import io.sconej.crypto.json.Json;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@code Error} in a handler (here the parser's stack overflow on YAML nested 20,000 deep)
 * still gets a one-line JSON answer: the hand-written server dropped the connection without one.
 */
class HandlerErrorTest {
  @TempDir Path dir;

  @Test
  void deeplyNestedYamlGetsAnAnswer() throws Exception {
    try (CasFixture cas = new CasFixture(dir);
        CasConnection owner = cas.connect(Optional.of(CasFixture.identity()))) {
      String yaml = "name: " + "[".repeat(20_000) + "]".repeat(20_000) + "\n";
      CasConnection.Response r = CasFixture.postYaml(owner, "/v1/sessions", yaml);
      assertTrue(r.status() >= 400, r.text());
      String msg = Json.string(r.json(), "error");
      assertFalse(msg.contains("Exception") || msg.contains("Error") || msg.contains("\tat "), msg);
    }
  }
}
