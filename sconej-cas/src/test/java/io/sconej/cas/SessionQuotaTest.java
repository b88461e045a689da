package io.sconej.cas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.attestation.TeeMode;
import io.sconej.attestation.sim.SimEvidence;
import io.sconej.verifier.sim.SimEvidenceVerifier;
import io.sconej.cas.client.CasClient;
import io.sconej.cas.client.CasConnection;
import io.sconej.crypto.json.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-owner and per-session quotas, refused with a 4xx naming the quota; and secret generation
 * outside every lock that attestation or other sessions need.
 */
class SessionQuotaTest {
  /** Guards against a deadlock only; no test asserts a duration. */
  private static final long GUARD_SECONDS = 120;

  private static final String SIM = "security:\n  tolerate: [simulation]\n";

  @TempDir Path dir;

  @AfterEach
  void resetProbe() {
    SessionRegistry.generationProbe = r -> {};
  }

  private static String withSecrets(String name, int n, String kind) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append("  - name: s").append(i).append("\n    kind: ").append(kind).append('\n');
    }
    return CasFixture.policy(name, 1, "", b + SIM);
  }

  private static void refused(CasConnection.Response r, int status, String... fragments)
      throws Exception {
    assertEquals(status, r.status(), r.text());
    String msg = Json.string(r.json(), "error");
    for (String f : fragments) {
      assertTrue(msg.contains(f), "'" + msg + "' should contain '" + f + "'");
    }
  }

  @Test
  void theDefaultsAreTheDocumentedOnes() {
    CasConfig c = CasConfig.builder(dir).build();
    assertEquals(64 << 10, c.maxPolicyBytes());
    assertEquals(128, c.maxSecretsPerSession());
    assertEquals(256, c.maxSessionsPerOwner());
    assertEquals(1_000, c.maxVersionsPerSession());
  }

  @Test
  void tooManySecretsAndOversizedPoliciesAreRefusedByDefault() throws Exception {
    try (CasFixture cas = new CasFixture(dir);
        CasConnection owner = cas.connect(Optional.of(CasFixture.identity()))) {
      // The fixture has 4 secrets; 124 more is the most, 125 more is one too many.
      var ok = CasFixture.postYaml(owner, "/v1/sessions", withSecrets("acme/ok", 124, "ascii"));
      assertEquals(201, ok.status(), ok.text());
      // The case, 3,000 x509 secrets, is over the size quota already.
      refused(
          CasFixture.postYaml(owner, "/v1/sessions", withSecrets("acme/huge", 3000, "x509")),
          413,
          "(CasConfig.maxPolicyBytes)");
      refused(
          CasFixture.postYaml(owner, "/v1/sessions", withSecrets("acme/many", 200, "x509")),
          400,
          "policy line 276: field 'secrets[128]'",
          "at most 128 secrets per session (CasConfig.maxSecretsPerSession)");
      String big =
          CasFixture.simPolicy("acme/big").replace("marker-in-policy-text-42", "x".repeat(70_000));
      refused(
          CasFixture.postYaml(owner, "/v1/sessions", big),
          413,
          "at most 65536 (CasConfig.maxPolicyBytes)");
      assertEquals(404, CasFixture.get(owner, "/v1/sessions/acme/many").status());
    }
  }

  @Test
  void sessionsPerOwnerAndVersionsPerSessionAreCapped() throws Exception {
    CasConfig config =
        CasConfig.builder(dir)
            .port(0)
            .verifier(
                TeeMode.SIM, SimEvidenceVerifier.create(List.of(CasFixture.PLATFORM.certificate())))
            .maxSessionsPerOwner(2)
            .maxVersionsPerSession(3)
            .build();
    var ownerId = CasFixture.identity();
    String h;
    try (CasServer cas = CasServer.start(config);
        CasConnection owner =
            CasConnection.create(
                "127.0.0.1", cas.port(), cas.caCertificate(), Optional.of(ownerId))) {
      h =
          Json.string(
              CasFixture.postYaml(owner, "/v1/sessions", CasFixture.simPolicy("a/one")).json(),
              "hash");
      assertEquals(
          201, CasFixture.postYaml(owner, "/v1/sessions", CasFixture.simPolicy("a/two")).status());
      refused(
          CasFixture.postYaml(owner, "/v1/sessions", CasFixture.simPolicy("a/three")),
          409,
          "created 2 sessions",
          "CasConfig.maxSessionsPerOwner");
      for (long v = 2; v <= 3; v++) {
        var u =
            CasFixture.putYaml(owner, "/v1/sessions/a/one", CasFixture.policy("a/one", v, h, SIM));
        assertEquals(200, u.status(), u.text());
        h = Json.string(u.json(), "hash");
      }
      refused(
          CasFixture.putYaml(owner, "/v1/sessions/a/one", CasFixture.policy("a/one", 4, h, SIM)),
          409,
          "has 3 versions",
          "CasConfig.maxVersionsPerSession");
      try (CasConnection other =
          CasConnection.create(
              "127.0.0.1", cas.port(), cas.caCertificate(), Optional.of(CasFixture.identity()))) {
        assertEquals(
            201,
            CasFixture.postYaml(other, "/v1/sessions", CasFixture.simPolicy("a/three")).status());
      }
    }
    // The counts are rebuilt from the store at start.
    try (CasServer cas = CasServer.start(config);
        CasConnection owner =
            CasConnection.create(
                "127.0.0.1", cas.port(), cas.caCertificate(), Optional.of(ownerId))) {
      refused(
          CasFixture.postYaml(owner, "/v1/sessions", CasFixture.simPolicy("a/four")),
          409,
          "CasConfig.maxSessionsPerOwner");
    }
  }

  @Test
  void aLargeCreateGeneratesWithNoLockAndAnAttestationCompletesMeanwhile() throws Exception {
    try (CasFixture cas = new CasFixture(dir);
        CasConnection owner = cas.connect(Optional.of(CasFixture.identity()))) {
      assertEquals(
          201,
          CasFixture.postYaml(owner, "/v1/sessions", CasFixture.simPolicy("acme/db")).status());
      AtomicReference<Boolean> lockHeld = new AtomicReference<>();
      AtomicReference<Object> attested = new AtomicReference<>();
      SessionRegistry.generationProbe =
          r -> {
            lockHeld.set(r.holdsCommitLock());
            // Runs on the create's request thread before it generates its 120 x509 secrets: an
            // attestation must complete now, while the create is paused at this point.
            attested.set(
                CompletableFuture.supplyAsync(() -> attestOrError(cas))
                    .completeOnTimeout("still blocked", GUARD_SECONDS, TimeUnit.SECONDS)
                    .join());
          };
      var big = CasFixture.postYaml(owner, "/v1/sessions", withSecrets("acme/big", 120, "x509"));
      assertEquals(201, big.status(), big.text());
      assertFalse(lockHeld.get(), "the commit lock is not held while generating");
      assertEquals("acme/db", attested.get(), "an attestation completed during the generation");
    }
  }

  @Test
  void aCreateOfTheSameNameCommittedDuringGenerationWinsAndTheFirstIsRefused() throws Exception {
    try (CasFixture cas = new CasFixture(dir);
        CasConnection owner = cas.connect(Optional.of(CasFixture.identity()));
        CasConnection rival = cas.connect(Optional.of(CasFixture.identity()))) {
      AtomicBoolean first = new AtomicBoolean(true);
      AtomicReference<Integer> rivalStatus = new AtomicReference<>();
      SessionRegistry.generationProbe =
          r -> {
            if (first.getAndSet(false)) {
              rivalStatus.set(
                  CompletableFuture.supplyAsync(
                          () -> {
                            try {
                              return CasFixture.postYaml(
                                      rival, "/v1/sessions", CasFixture.simPolicy("acme/same"))
                                  .status();
                            } catch (Exception e) {
                              return -1;
                            }
                          })
                      .completeOnTimeout(-2, GUARD_SECONDS, TimeUnit.SECONDS)
                      .join());
            }
          };
      refused(
          CasFixture.postYaml(owner, "/v1/sessions", CasFixture.simPolicy("acme/same")),
          409,
          "already exists");
      assertEquals(201, rivalStatus.get());
    }
  }

  /** The session of a fresh attestation of acme/db/web, or the failure as a string. */
  private static Object attestOrError(CasFixture cas) {
    try (CasClient c =
        CasClient.create("127.0.0.1", cas.server.port(), cas.server.caCertificate())) {
      return c.attest(
              "acme/db/web",
              rd ->
                  SimEvidence.create(
                      CasFixture.PLATFORM, CasFixture.measurement(), SimEvidence.NO_SIGNER, rd))
          .session();
    } catch (Exception e) {
      return e.toString();
    }
  }
}
