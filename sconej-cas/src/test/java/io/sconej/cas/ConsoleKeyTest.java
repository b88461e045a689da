package io.sconej.cas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.attestation.sim.SimEvidence;
import io.sconej.cas.client.CasClient;
import io.sconej.cas.client.CasConnection;
import io.sconej.cas.client.Pem;
import io.sconej.cas.client.ServiceConfig;
import io.sconej.crypto.InsecureSecretAccess;
import io.sconej.crypto.json.Json;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-service console keys: released to the attested service, readable by session readers. */
class ConsoleKeyTest {
  @TempDir Path dir;

  private static ServiceConfig attest(CasFixture cas, String configId) throws Exception {
    try (CasClient c =
        CasClient.create("127.0.0.1", cas.server.port(), cas.server.caCertificate())) {
      return c.attest(
          configId,
          rd ->
              SimEvidence.create(
                  CasFixture.PLATFORM, CasFixture.measurement(), SimEvidence.NO_SIGNER, rd));
    }
  }

  private static byte[] released(CasFixture cas) throws Exception {
    return attest(cas, "acme/db/web").consoleKey().orElseThrow().bytes(InsecureSecretAccess.get());
  }

  private static byte[] fetched(CasConnection c, String path) throws Exception {
    var r = CasFixture.get(c, path);
    assertEquals(200, r.status(), r.text());
    return HexFormat.of().parseHex(Json.string(r.json(), "key"));
  }

  @Test
  void ownerAndReadersGetTheReleasedKeyKeptAcrossUpdatesAndRestarts() throws Exception {
    var reader = CasFixture.identity();
    String fp = Pem.fingerprint(reader.cert());
    String extra =
        "access_policy:\n  read: [" + fp + "]\nsecurity:\n  tolerate: [simulation]\n";
    try (CasFixture cas = new CasFixture(dir)) {
      String h;
      byte[] k1;
      try (CasConnection owner = cas.connect(Optional.of(CasFixture.identity()))) {
        var created =
            CasFixture.postYaml(owner, "/v1/sessions", CasFixture.policy("acme/db", 1, "", extra));
        assertEquals(201, created.status(), created.text());
        h = Json.string(created.json(), "hash");
        k1 = released(cas);
        assertEquals(32, k1.length);
        assertArrayEquals(k1, fetched(owner, "/v1/console-keys/acme/db/web"));
        var u =
            CasFixture.putYaml(
                owner, "/v1/sessions/acme/db", CasFixture.policy("acme/db", 2, h, extra));
        assertEquals(200, u.status(), u.text());
        assertArrayEquals(k1, released(cas), "kept across an update");
      }
      cas.restart();
      assertArrayEquals(k1, released(cas), "kept across a restart (stored)");
      try (CasConnection r = cas.connect(Optional.of(reader))) {
        assertArrayEquals(k1, fetched(r, "/v1/console-keys/acme/db/web"));
        var noService = CasFixture.get(r, "/v1/console-keys/acme/db/nope");
        assertEquals(404, noService.status());
      }
    }
  }

  @Test
  void strangersGetTheSameAnswerAsForAMissingSession() throws Exception {
    try (CasFixture cas = new CasFixture(dir);
        CasConnection owner = cas.connect(Optional.of(CasFixture.identity()));
        CasConnection stranger = cas.connect(Optional.of(CasFixture.identity()))) {
      CasFixture.postYaml(owner, "/v1/sessions", CasFixture.simPolicy("acme/db"));
      var missing = CasFixture.get(stranger, "/v1/console-keys/acme/nothing/web");
      var refused = CasFixture.get(stranger, "/v1/console-keys/acme/db/web");
      var noSlash = CasFixture.get(stranger, "/v1/console-keys/acme");
      assertEquals(404, refused.status());
      assertEquals(missing.status(), refused.status());
      assertEquals(missing.text(), refused.text());
      assertEquals(missing.text(), noSlash.text());
      assertTrue(!refused.text().contains("key\""), refused.text());
    }
  }

  @Test
  void anUnprotectedConsoleHasNoKey() throws Exception {
    String yaml =
        CasFixture.simPolicy("acme/db")
            .replace("  - name: web\n", "  - name: web\n    console: unprotected\n");
    try (CasFixture cas = new CasFixture(dir);
        CasConnection owner = cas.connect(Optional.of(CasFixture.identity()))) {
      assertEquals(201, CasFixture.postYaml(owner, "/v1/sessions", yaml).status());
      ServiceConfig cfg = attest(cas, "acme/db/web");
      assertEquals("unprotected", cfg.console());
      assertTrue(cfg.consoleKey().isEmpty());
      assertEquals(404, CasFixture.get(owner, "/v1/console-keys/acme/db/web").status());
    }
  }
}
