package io.sconej.cas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.cas.client.CasConnection;
import io.sconej.cas.client.Pem;
import io.sconej.crypto.json.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionServiceTest {
  private static final String SIM = "security:\n  tolerate: [simulation]\n";
  @TempDir Path dir;

  @Test
  void createShowUpdateHistory() throws Exception {
    try (CasFixture cas = new CasFixture(dir);
        CasConnection owner = cas.connect(Optional.of(CasFixture.identity()))) {
      var created = CasFixture.postYaml(owner, "/v1/sessions", CasFixture.simPolicy("acme/db"));
      assertEquals(201, created.status(), created.text());
      String h1 = Json.string(created.json(), "hash");

      var shown = CasFixture.get(owner, "/v1/sessions/acme/db");
      assertEquals(200, shown.status());
      Map<String, Object> m = shown.json();
      assertEquals(h1, Json.string(m, "hash"));
      assertEquals(4, Json.array(m, "secrets").size());
      assertFalse(shown.text().contains("PRIVATE KEY"), "owners never see secret values");

      var stale =
          CasFixture.putYaml(
              owner, "/v1/sessions/acme/db", CasFixture.policy("acme/db", 2, "00".repeat(32), SIM));
      assertEquals(409, stale.status());
      assertTrue(stale.text().contains("predecessor"));
      var missing =
          CasFixture.putYaml(
              owner, "/v1/sessions/acme/db", CasFixture.policy("acme/db", 2, "", SIM));
      assertEquals(409, missing.status());

      var updated =
          CasFixture.putYaml(
              owner, "/v1/sessions/acme/db", CasFixture.policy("acme/db", 2, h1, SIM));
      assertEquals(200, updated.status(), updated.text());
      String h2 = Json.string(updated.json(), "hash");

      var again =
          CasFixture.putYaml(
              owner, "/v1/sessions/acme/db", CasFixture.policy("acme/db", 3, h1, SIM));
      assertEquals(409, again.status(), "the old head is stale now");

      var hist = CasFixture.get(owner, "/v1/session-history/acme/db");
      List<Object> versions = Json.array(hist.json(), "versions");
      assertEquals(2, versions.size());
      @SuppressWarnings("unchecked")
      Map<String, Object> second = (Map<String, Object>) versions.get(1);
      assertEquals(h2, Json.string(second, "hash"));
      assertEquals(h1, Json.string(second, "predecessor"));
    }
  }

  @Test
  void strangersGetTheSameAnswerAsForAMissingSession() throws Exception {
    try (CasFixture cas = new CasFixture(dir);
        CasConnection owner = cas.connect(Optional.of(CasFixture.identity()));
        CasConnection stranger = cas.connect(Optional.of(CasFixture.identity()))) {
      String h =
          Json.string(
              CasFixture.postYaml(owner, "/v1/sessions", CasFixture.simPolicy("acme/db")).json(),
              "hash");
      var missing = CasFixture.get(stranger, "/v1/sessions/acme/nothing");
      var read = CasFixture.get(stranger, "/v1/sessions/acme/db");
      var hist = CasFixture.get(stranger, "/v1/session-history/acme/db");
      var update =
          CasFixture.putYaml(
              stranger, "/v1/sessions/acme/db", CasFixture.policy("acme/db", 2, h, SIM));
      for (var r : List.of(read, hist, update)) {
        assertEquals(missing.status(), r.status());
        assertEquals(missing.text(), r.text());
      }
      assertEquals(404, missing.status());
      // Still version 1: the stranger's update did nothing.
      assertEquals(h, Json.string(CasFixture.get(owner, "/v1/sessions/acme/db").json(), "hash"));
      // No client certificate at all: refused.
      try (CasConnection anon = cas.connect(Optional.empty())) {
        assertEquals(403, CasFixture.get(anon, "/v1/sessions/acme/db").status());
      }
    }
  }

  @Test
  void accessPolicyGrantsReadAndUpdateSeparately() throws Exception {
    var readerId = CasFixture.identity();
    var updaterId = CasFixture.identity();
    String readerFp = Pem.fingerprint(readerId.cert());
    String updaterFp = Pem.fingerprint(updaterId.cert());
    try (CasFixture cas = new CasFixture(dir);
        CasConnection owner = cas.connect(Optional.of(CasFixture.identity()));
        CasConnection reader = cas.connect(Optional.of(readerId));
        CasConnection updater = cas.connect(Optional.of(updaterId))) {
      String extra =
          "access_policy:\n  read: [" + readerFp + "]\n  update: [" + updaterFp + "]\n" + SIM;
      var c = CasFixture.postYaml(owner, "/v1/sessions", CasFixture.policy("acme/x", 1, "", extra));
      assertEquals(201, c.status(), c.text());
      String h = Json.string(c.json(), "hash");
      assertEquals(200, CasFixture.get(reader, "/v1/sessions/acme/x").status());
      assertEquals(
          404,
          CasFixture.putYaml(
                  reader, "/v1/sessions/acme/x", CasFixture.policy("acme/x", 2, h, extra))
              .status());
      var u =
          CasFixture.putYaml(
              updater, "/v1/sessions/acme/x", CasFixture.policy("acme/x", 2, h, extra));
      assertEquals(200, u.status(), u.text());
      // Creating a session that exists is refused.
      assertEquals(
          409,
          CasFixture.postYaml(updater, "/v1/sessions", CasFixture.policy("acme/x", 1, "", extra))
              .status());
    }
  }
}
