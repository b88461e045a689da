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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/volumes/SESSION/SERVICE/VOLUME/{key,tag,backup}}: the owner's key release and
 * tag changes, authorised by the creator and access_policy, recorded in the session's history and
 * kept across a restart; the attested service then receives the owner's tags.
 */
class VolumeOwnerServiceTest {
  static final String BASE = "/v1/volumes/acme/db/web/data/";
  static final String T1 = "a1".repeat(32);
  static final String T2 = "b2".repeat(32);
  static final String T3 = "c3".repeat(32);
  @TempDir Path dir;

  private static CasConnection.Response post(CasConnection c, String action, String json)
      throws Exception {
    return c.request("POST", BASE + action, "application/json",
        json.getBytes(StandardCharsets.UTF_8));
  }

  private static void ok(CasConnection.Response r) throws Exception {
    assertEquals(200, r.status(), r.text());
  }

  private static void refused(int status, String fragment, CasConnection.Response r) {
    assertEquals(status, r.status(), r.text());
    assertTrue(r.text().contains(fragment), r.text());
  }

  private static String pending(String tag, String previous, String op) {
    return "{\"phase\": \"pending\", \"tag\": \"" + tag + "\", \"operation\": \"" + op + "\""
        + (previous == null ? "" : ", \"previous\": \"" + previous + "\"") + "}";
  }

  private static String commit(String tag, String op) {
    return "{\"phase\": \"commit\", \"tag\": \"" + tag + "\", \"operation\": \"" + op + "\"}";
  }

  private static ServiceConfig attest(CasFixture cas) throws Exception {
    try (CasClient c =
        CasClient.create("127.0.0.1", cas.server.port(), cas.server.caCertificate())) {
      return c.attest("acme/db/web", rd -> SimEvidence.create(
          CasFixture.PLATFORM, CasFixture.measurement(), SimEvidence.NO_SIGNER, rd));
    }
  }

  @Test
  void ownerChangesAreAuthorisedCheckedAndRecorded() throws Exception {
    var owner = CasFixture.identity();
    var reader = CasFixture.identity();
    String ownerFp = Pem.fingerprint(owner.cert());
    String extra = "access_policy:\n  read: [" + Pem.fingerprint(reader.cert()) + "]\n"
        + "security:\n  tolerate: [simulation]\n";
    try (CasFixture cas = new CasFixture(dir)) {
      try (CasConnection o = cas.connect(Optional.of(owner));
          CasConnection r = cas.connect(Optional.of(reader));
          CasConnection s = cas.connect(Optional.of(CasFixture.identity()))) {
        var created =
            CasFixture.postYaml(o, "/v1/sessions", CasFixture.policy("acme/db", 1, "", extra));
        assertEquals(201, created.status(), created.text());
        // Strangers: the 404 of a missing session, before the body is looked at.
        refused(404, "no such session, or access denied", post(s, "key", "{}"));
        refused(404, "no volume 'nope'", o.request("POST", "/v1/volumes/acme/db/web/nope/key",
            "application/json", "{\"operation\": \"list\"}".getBytes(StandardCharsets.UTF_8)));
        // Readers read; changing the volume needs update access.
        var released = post(r, "key", "{\"operation\": \"list\"}");
        ok(released);
        byte[] key = HexFormat.of().parseHex(Json.string(released.json(), "key"));
        assertArrayEquals(attest(cas).volumes().getFirst().key().bytes(
            InsecureSecretAccess.get()), key, "the key the service receives");
        refused(403, "operation 'rm' changes the volume",
            post(r, "key", "{\"operation\": \"rm\"}"));
        refused(403, "changes the volume", post(r, "tag", pending(T1, null, "rm")));
        refused(400, "field 'operation'", post(o, "key", "{\"operation\": \"format\"}"));

        // The first state, then a change from it; a change from another state is refused.
        ok(post(o, "tag", pending(T1, null, "import")));
        ok(post(o, "tag", commit(T1, "import")));
        refused(409, "no longer in the state the tool opened", post(o, "tag", pending(T2, T3,
            "rm")));
        refused(409, "no longer in the state", post(o, "tag", pending(T2, null, "rm")));
        ok(post(o, "tag", pending(T2, T1, "rm")));
        ok(post(o, "tag", commit(T2, "rm")));
        refused(409, "neither the committed nor the pending", post(o, "backup",
            "{\"tag\": \"" + T1 + "\"}"));
        ok(post(r, "backup", "{\"tag\": \"" + T2 + "\"}"));

        // A reset to T1 (older) needs the approval: operation restore, repeating the tag.
        refused(400, "approve_reset", post(o, "tag", "{\"phase\": \"pending\", \"tag\": \"" + T1
            + "\", \"operation\": \"restore\", \"approve_reset\": \"" + T3 + "\"}"));
        refused(400, "approve_reset", post(o, "tag", "{\"phase\": \"pending\", \"tag\": \"" + T1
            + "\", \"operation\": \"rm\", \"approve_reset\": \"" + T1 + "\"}"));
        ok(post(o, "tag", "{\"phase\": \"pending\", \"tag\": \"" + T1
            + "\", \"operation\": \"restore\", \"approve_reset\": \"" + T1 + "\"}"));
        ok(post(o, "tag", commit(T1, "restore")));
      }
      ServiceConfig c = attest(cas);
      assertEquals(T1, HexFormat.of().formatHex(c.volumes().getFirst().committedTag()
          .orElseThrow()), "the service starts on the restored state");

      cas.restart(); // the events are stored
      try (CasConnection o = cas.connect(Optional.of(owner))) {
        var h = CasFixture.get(o, "/v1/session-history/acme/db");
        ok(h);
        List<Object> events = Json.array(h.json(), "volume_events");
        List<String> kinds = events.stream().map(e -> {
          @SuppressWarnings("unchecked")
          Map<String, Object> m = (Map<String, Object>) e;
          return m.get("event") + ":" + m.get("operation") + ":" + m.get("old") + ">"
              + m.get("new");
        }).toList();
        String n = String.valueOf(Json.NULL);
        assertEquals(List.of("key-release:list:" + n + ">" + n,
            "tag-pending:import:" + n + ">" + T1, "tag-commit:import:" + n + ">" + T1,
            "tag-pending:rm:" + T1 + ">" + T2, "tag-commit:rm:" + T1 + ">" + T2,
            "backup:backup:" + T2 + ">" + T2, "tag-reset-pending:restore:" + T2 + ">" + T1,
            "tag-commit:restore:" + T2 + ">" + T1), kinds);
        @SuppressWarnings("unchecked")
        Map<String, Object> reset = (Map<String, Object>) events.get(6);
        assertEquals(ownerFp, reset.get("by"));
        assertTrue(Json.integer(reset, "at_ms") > 0);
      }
    }
  }
}
