package io.sconej.cas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.attestation.sim.SimEvidence;
import io.sconej.cas.client.CasClient;
import io.sconej.cas.client.CasConnection;
import io.sconej.cas.client.CasResponseException;
import io.sconej.crypto.json.Json;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revocation takes effect at once: a policy update that no longer admits an attested runtime stops
 * its channel from reporting volume tags (which could otherwise roll a volume back or lock the
 * owner out), while an update that still admits it changes nothing.
 */
class GrantRevocationTest {
  private static final String SIM = "security:\n  tolerate: [simulation]\n";
  private static final byte[] T1 = HexFormat.of().parseHex("aa".repeat(32));
  private static final byte[] T2 = HexFormat.of().parseHex("bb".repeat(32));

  @TempDir Path dir;
  CasFixture cas;
  CasConnection owner;
  String head;
  long version;

  @BeforeEach
  void start() throws Exception {
    cas = new CasFixture(dir);
    owner = cas.connect(Optional.of(CasFixture.identity()));
    var r = CasFixture.postYaml(owner, "/v1/sessions", CasFixture.simPolicy("acme/db"));
    assertEquals(201, r.status(), r.text());
    head = Json.string(r.json(), "hash");
    version = 1;
  }

  @AfterEach
  void stop() throws Exception {
    owner.close();
    cas.close();
  }

  /**
   * Updates acme/db to the fixture's policy (as created) with {@code from} replaced by {@code to}.
   */
  private void update(String from, String to) throws Exception {
    String yaml = CasFixture.policy("acme/db", ++version, head, SIM);
    assertTrue(yaml.contains(from), from);
    var r = CasFixture.putYaml(owner, "/v1/sessions/acme/db", yaml.replace(from, to));
    assertEquals(200, r.status(), r.text());
    head = Json.string(r.json(), "hash");
  }

  private CasClient attested() throws Exception {
    CasClient c = CasClient.create("127.0.0.1", cas.server.port(), cas.server.caCertificate());
    c.attest(
        "acme/db/web",
        rd ->
            SimEvidence.create(
                CasFixture.PLATFORM, CasFixture.measurement(), SimEvidence.NO_SIGNER, rd));
    return c;
  }

  private static void refused(CasClient c, String reason) {
    var e =
        assertThrows(
            CasResponseException.class, () -> c.reportPendingTag("data", Optional.of(T1), T2));
    assertEquals(403, e.status(), e.getMessage());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  @Test
  void anUpdateThatStillAdmitsTheRuntimeKeepsItsChannelWorking() throws Exception {
    try (CasClient c = attested()) {
      c.reportPendingTag("data", Optional.empty(), T1);
      update("POLICY_MARKER: marker-in-policy-text-42", "POLICY_MARKER: v2");
      c.commitTag("data", T1);
      update("measurements: [", "measurements: [" + "22".repeat(32) + ", ");
      c.reportPendingTag("data", Optional.of(T1), T2);
    }
  }

  @Test
  void anUpdateThatDropsTheMeasurementRevokesTheChannelAtOnce() throws Exception {
    try (CasClient c = attested()) {
      c.reportPendingTag("data", Optional.empty(), T1);
      update(CasFixture.MEASUREMENT, "22".repeat(32));
      refused(c, "no longer admitted by the session's policy: MEASUREMENT_MISMATCH");
      // A version that admits the runtime again does not revive the old channel.
      update("", "");
      refused(c, "no longer admitted by the session's policy: MEASUREMENT_MISMATCH");
      refused(c, "no longer admitted by the session's policy: MEASUREMENT_MISMATCH");
    }
    // The refused report was not recorded: a new attestation still finds T1 pending.
    try (CasClient again = attested()) {
      again.commitTag("data", T1);
    }
  }

  @Test
  void anUpdateThatDropsTheModeOrTheServiceRevokesTheChannel() throws Exception {
    try (CasClient c = attested()) {
      update("modes: [sim]", "modes: [sim, gramine-sgx]");
      c.reportPendingTag("data", Optional.empty(), T1);
      update("modes: [sim]", "modes: [gramine-sgx]");
      refused(c, "no longer admitted by the session's policy: UNSUPPORTED_MODE");
    }
    update("", "");
    try (CasClient c = attested()) {
      update("  - name: web\n", "  - name: api\n");
      refused(c, "no longer admitted by the session's policy: UNKNOWN_CONFIG_ID");
    }
  }

  @Test
  void aRevokingVersionFollowedByAReadmittingOneDoesNotReviveTheGrant() throws Exception {
    try (CasClient c = attested()) {
      c.reportPendingTag("data", Optional.empty(), T1);
      update(CasFixture.MEASUREMENT, "22".repeat(32));
      update("", "");
      // No report in between: the revoking version revoked the grant when it was stored.
      refused(c, "no longer admitted by the session's policy: MEASUREMENT_MISMATCH");
    }
  }

  @Test
  void everyUseIsCheckedAgainstTheCurrentVersionEvenWithoutTheUpdateHook() throws Exception {
    // A grant issued while an update is being stored misses that update's revalidation: the
    // check at use must refuse it by itself.
    try (CasStore store = CasStore.open(dir.resolve("unit"), r -> {})) {
      SessionRegistry registry =
          new SessionRegistry(store, SessionRegistry.Quotas.of(CasFixture.config(dir)));
      String fp = "ab".repeat(32);
      String h = registry.create(CasFixture.simPolicy("acme/u"), fp).hash();
      Grants grants = new Grants(java.time.Clock.systemUTC(), java.time.Duration.ofHours(1));
      byte[] rd = new byte[64];
      var claims =
          new io.sconej.verifier.VerifiedEvidence(
              io.sconej.attestation.TeeMode.SIM,
              CasFixture.measurement(),
              new byte[32],
              rd,
              "platform",
              false,
              "Simulated");
      grants.grant("channel", "acme/u", "web", claims, rd);
      assertEquals("web", grants.authorise("channel", registry).service().name());
      registry.update(
          "acme/u",
          CasFixture.policy("acme/u", 2, h, SIM).replace(CasFixture.MEASUREMENT, "22".repeat(32)),
          fp);
      var e = assertThrows(CasException.class, () -> grants.authorise("channel", registry));
      assertEquals(403, e.status());
      assertTrue(e.getMessage().endsWith("policy: MEASUREMENT_MISMATCH"), e.getMessage());
    }
  }
}
