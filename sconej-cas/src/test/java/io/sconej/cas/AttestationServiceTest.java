package io.sconej.cas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.attestation.AttestationException;
import io.sconej.attestation.AttestationException.Reason;
import io.sconej.attestation.Evidence;
import io.sconej.attestation.ReportData;
import io.sconej.attestation.sim.SimEvidence;
import io.sconej.attestation.sim.SimPlatform;
import io.sconej.cas.client.CasClient;
import io.sconej.cas.client.CasConnection;
import io.sconej.cas.client.CasResponseException;
import io.sconej.cas.client.ServiceConfig;
import io.sconej.crypto.InsecureSecretAccess;
import io.sconej.crypto.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttestationServiceTest {
  @TempDir Path dir;

  private static Evidence sim(SimPlatform p, byte[] measurement, byte[] reportData) {
    return SimEvidence.create(p, measurement, SimEvidence.NO_SIGNER, reportData);
  }

  private static CasClient client(CasFixture cas) throws Exception {
    return CasClient.create("127.0.0.1", cas.server.port(), cas.server.caCertificate());
  }

  private static void createSession(CasFixture cas, String yaml) throws Exception {
    try (CasConnection owner = cas.connect(Optional.of(CasFixture.identity()))) {
      var r = CasFixture.postYaml(owner, "/v1/sessions", yaml);
      assertEquals(201, r.status(), r.text());
    }
  }

  private static Reason refused(CasClient c, String configId, byte[] measurement) {
    return assertThrows(
            AttestationException.class,
            () -> c.attest(configId, rd -> sim(CasFixture.PLATFORM, measurement, rd)))
        .reason();
  }

  @Test
  void releasesTheConfigurationToAnAttestedService() throws Exception {
    try (CasFixture cas = new CasFixture(dir)) {
      createSession(cas, CasFixture.simPolicy("acme/db"));
      try (CasClient c = client(cas)) {
        ServiceConfig cfg =
            c.attest("acme/db/web", rd -> sim(CasFixture.PLATFORM, CasFixture.measurement(), rd));
        assertEquals("acme/db", cfg.session());
        String pw = cfg.secrets().get("db_password").value();
        assertEquals(24, pw.length());
        assertEquals("--password=" + pw, cfg.command().get(3));
        assertEquals(cfg.secrets().get("api_key").value(), cfg.environment().get("API_KEY"));
        assertTrue(cfg.secrets().get("tls").value().contains("BEGIN CERTIFICATE"));
        assertTrue(
            cfg.secrets().get("signing").privateKeyPem().orElseThrow().contains("PRIVATE KEY"));
        assertEquals(1, cfg.volumes().size());
        assertEquals(32, cfg.volumes().get(0).key().bytes(InsecureSecretAccess.get()).length);
        assertTrue(cfg.volumes().get(0).committedTag().isEmpty());
        assertEquals(Map.of(), cfg.hostCalls());
        assertFalse(cfg.toString().contains(pw));

        // Two-phase volume tags with the attested key.
        byte[] t1 = HexFormat.of().parseHex("aa".repeat(32));
        c.reportPendingTag("data", Optional.empty(), t1);
        c.commitTag("data", t1);
        byte[] t2 = HexFormat.of().parseHex("bb".repeat(32));
        c.reportPendingTag("data", Optional.of(t1), t2);
        var err =
            assertThrows(
                CasResponseException.class,
                () -> c.commitTag("data", HexFormat.of().parseHex("cc".repeat(32))));
        assertEquals(409, err.status());
        assertThrows(
            CasResponseException.class, () -> c.reportPendingTag("nope", Optional.empty(), t1));
      }
      // A later start sees committed t1 and pending t2 (crash before commit), secrets unchanged.
      try (CasClient c = client(cas)) {
        ServiceConfig cfg =
            c.attest("acme/db/web", rd -> sim(CasFixture.PLATFORM, CasFixture.measurement(), rd));
        assertArrayEquals(
            HexFormat.of().parseHex("aa".repeat(32)),
            cfg.volumes().get(0).committedTag().orElseThrow());
        assertArrayEquals(
            HexFormat.of().parseHex("bb".repeat(32)),
            cfg.volumes().get(0).pendingTag().orElseThrow());
        // It observed the committed state on disk: confirming it drops the pending tag.
        c.commitTag("data", HexFormat.of().parseHex("aa".repeat(32)));
      }
      // An unattested key cannot report tags.
      try (CasClient stranger = client(cas)) {
        var e =
            assertThrows(
                CasResponseException.class,
                () -> stranger.reportPendingTag("data", Optional.empty(), new byte[32]));
        assertEquals(403, e.status());
      }
    }
  }

  @Test
  void releasesTheSessionsHostCallSettings() throws Exception {
    try (CasFixture cas = new CasFixture(dir)) {
      createSession(
          cas,
          CasFixture.simPolicy("acme/hc")
              .replace(
                  "      modes: [sim]\n",
                  "      modes: [sim]\n    hostcalls: {mode: async, sthreads: 2, slots: 64}\n"));
      try (CasClient c = client(cas)) {
        ServiceConfig cfg =
            c.attest("acme/hc/web", rd -> sim(CasFixture.PLATFORM, CasFixture.measurement(), rd));
        assertEquals(Map.of("mode", "async", "sthreads", "2", "slots", "64"), cfg.hostCalls());
      }
    }
  }

  @Test
  void updatesKeepSecretsAndX509SecretsChainToTheSessionCa() throws Exception {
    try (CasFixture cas = new CasFixture(dir);
        CasConnection owner = cas.connect(Optional.of(CasFixture.identity()))) {
      var created = CasFixture.postYaml(owner, "/v1/sessions", CasFixture.simPolicy("acme/db"));
      String h = Json.string(created.json(), "hash");
      ServiceConfig v1;
      try (CasClient c = client(cas)) {
        v1 = c.attest("acme/db/web", rd -> sim(CasFixture.PLATFORM, CasFixture.measurement(), rd));
      }
      String extra = "  - name: added\n    kind: ascii\nsecurity:\n  tolerate: [simulation]\n";
      var u =
          CasFixture.putYaml(
              owner, "/v1/sessions/acme/db", CasFixture.policy("acme/db", 2, h, extra));
      assertEquals(200, u.status(), u.text());
      ServiceConfig v2;
      try (CasClient c = client(cas)) {
        v2 = c.attest("acme/db/web", rd -> sim(CasFixture.PLATFORM, CasFixture.measurement(), rd));
      }
      assertEquals(
          v1.secrets().get("db_password").value(), v2.secrets().get("db_password").value());
      assertEquals(32, v2.secrets().get("added").value().length());
      assertArrayEquals(
          v1.volumes().get(0).key().bytes(InsecureSecretAccess.get()),
          v2.volumes().get(0).key().bytes(InsecureSecretAccess.get()));
      var chain = io.sconej.cas.client.Pem.decode(v2.secrets().get("tls").value(), "CERTIFICATE");
      assertEquals(2, chain.size());
      var cf = java.security.cert.CertificateFactory.getInstance("X.509");
      var leaf =
          (java.security.cert.X509Certificate)
              cf.generateCertificate(new java.io.ByteArrayInputStream(chain.get(0)));
      var sessionCa =
          io.sconej.cas.client.Pem.certificate(
              Json.string(CasFixture.get(owner, "/v1/sessions/acme/db").json(), "session_ca"));
      leaf.verify(sessionCa.getPublicKey());
      assertTrue(leaf.getSubjectAlternativeNames().toString().contains("web.acme"));
    }
  }

  @Test
  void refusesWrongMeasurementUnknownConfigAndSimWithoutToleration() throws Exception {
    try (CasFixture cas = new CasFixture(dir)) {
      createSession(cas, CasFixture.simPolicy("acme/db"));
      // Hardware modes only (the default), not tolerating simulation: sim evidence is refused.
      createSession(
          cas, CasFixture.policy("acme/strict", 1, "", "").replace("      modes: [sim]\n", ""));
      try (CasClient c = client(cas)) {
        assertEquals(
            Reason.MEASUREMENT_MISMATCH,
            refused(c, "acme/db/web", HexFormat.of().parseHex("22".repeat(32))));
        assertEquals(
            Reason.UNKNOWN_CONFIG_ID, refused(c, "acme/other/web", CasFixture.measurement()));
        assertEquals(
            Reason.UNKNOWN_CONFIG_ID, refused(c, "acme/db/nope", CasFixture.measurement()));
        assertEquals(
            Reason.SIMULATION_NOT_TOLERATED,
            refused(c, "acme/strict/web", CasFixture.measurement()));
      }
    }
  }

  @Test
  void refusesAnUntrustedPlatform() throws Exception {
    SimPlatform rogue =
        SimPlatform.generate(
            Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(1)));
    try (CasFixture cas = new CasFixture(dir);
        CasClient c = client(cas)) {
      createSession(cas, CasFixture.simPolicy("acme/db"));
      var e =
          assertThrows(
              AttestationException.class,
              () -> c.attest("acme/db/web", rd -> sim(rogue, CasFixture.measurement(), rd)));
      assertEquals(Reason.UNTRUSTED_PLATFORM, e.reason());
    }
  }

  @Test
  void refusesReplayedEvidenceAndEvidenceBoundToAnotherKey() throws Exception {
    try (CasFixture cas = new CasFixture(dir)) {
      createSession(cas, CasFixture.simPolicy("acme/db"));
      var id = CasFixture.identity();
      try (CasConnection conn = cas.connect(Optional.of(id))) {
        byte[] nonce = nonce(conn);
        byte[] spki = id.keys().getPublic().getEncoded();
        Evidence ev =
            sim(CasFixture.PLATFORM, CasFixture.measurement(), ReportData.bind(spki, nonce));
        assertEquals(200, attest(conn, nonce, ev).status());
        var replay = attest(conn, nonce, ev);
        assertEquals(403, replay.status());
        assertEquals("STALE_OR_REPLAYED_NONCE", Json.string(replay.json(), "reason"));

        // Evidence bound to another key, presented on this channel with a fresh nonce.
        byte[] n2 = nonce(conn);
        byte[] otherSpki = CasFixture.identity().keys().getPublic().getEncoded();
        var other =
            attest(
                conn,
                n2,
                sim(CasFixture.PLATFORM, CasFixture.measurement(), ReportData.bind(otherSpki, n2)));
        assertEquals(403, other.status());
        assertEquals("CHANNEL_BINDING_MISMATCH", Json.string(other.json(), "reason"));
        assertEquals(
            Map.of("error", "attestation refused", "reason", "CHANNEL_BINDING_MISMATCH"),
            other.json(),
            "a refusal carries nothing else");

        // Never-issued nonce.
        byte[] forged = new byte[32];
        var f =
            attest(
                conn,
                forged,
                sim(CasFixture.PLATFORM, CasFixture.measurement(), ReportData.bind(spki, forged)));
        assertEquals("STALE_OR_REPLAYED_NONCE", Json.string(f.json(), "reason"));
      }
      // Evidence stolen from one channel and replayed on another (with its nonce) is refused.
      var thief = CasFixture.identity();
      try (CasConnection victim = cas.connect(Optional.of(id));
          CasConnection attacker = cas.connect(Optional.of(thief))) {
        byte[] n = nonce(victim);
        Evidence ev =
            sim(
                CasFixture.PLATFORM,
                CasFixture.measurement(),
                ReportData.bind(id.keys().getPublic().getEncoded(), n));
        var stolen = attest(attacker, n, ev);
        assertEquals("CHANNEL_BINDING_MISMATCH", Json.string(stolen.json(), "reason"));
      }
    }
  }

  static byte[] nonce(CasConnection c) throws Exception {
    var r = c.request("POST", "/v1/nonce", "application/json", "{}".getBytes());
    assertEquals(200, r.status());
    return HexFormat.of().parseHex(Json.string(r.json(), "nonce"));
  }

  static CasConnection.Response attest(CasConnection c, byte[] nonce, Evidence ev)
      throws Exception {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("mode", ev.mode().id());
    e.put("bytes", Base64.getEncoder().encodeToString(ev.bytes()));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("config_id", "acme/db/web");
    m.put("nonce", HexFormat.of().formatHex(nonce));
    m.put("evidence", e);
    return c.request(
        "POST", "/v1/attest", "application/json", Json.write(m).getBytes(StandardCharsets.UTF_8));
  }
}
