package io.sconej.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.attestation.TeeMode;
import io.sconej.attestation.sim.SimPlatform;
import io.sconej.cas.CasConfig;
import io.sconej.cas.CasServer;
import io.sconej.verifier.sim.SimEvidenceVerifier;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The owner and debugging commands against a real CAS on a random loopback port. */
class CasCommandsTest {
  static final String M = "42".repeat(32);
  @TempDir Path dir;

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int code =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static String[] with(List<String> base, String... more) {
    List<String> l = new ArrayList<>(Arrays.asList(more));
    l.addAll(base);
    return l.toArray(new String[0]);
  }

  private static String policy(int version, String predecessor, String measurement) {
    return "name: acme/app\nversion: "
        + version
        + "\n"
        + (predecessor.isEmpty() ? "" : "predecessor: " + predecessor + "\n")
        + "services:\n  - name: web\n    attestation:\n      measurements: ["
        + measurement
        + "]\n      modes: [sim]\n    environment:\n      PW: $$SCONEJ::pw$$\n"
        + "secrets:\n  - name: pw\n    kind: ascii\n    length: 20\n"
        + "security:\n  tolerate: [simulation]\n";
  }

  @Test
  void ownerWorkflowAndAttestation() throws Exception {
    Path platformDir = dir.resolve("platform");
    SimPlatform platform = SimPlatform.init(platformDir);
    Path data = dir.resolve("cas");
    try (CasServer cas =
        CasServer.start(
            CasConfig.builder(data)
                .port(0)
                .verifier(TeeMode.SIM, SimEvidenceVerifier.create(List.of(platform.certificate())))
                .build())) {
      Path owner = dir.resolve("owner.pem");
      Result id = run("session", "identity", "--out", owner.toString());
      assertEquals(0, id.code(), id.err());
      assertTrue(id.out().contains("fingerprint: "));
      assertEquals(2, run("session", "identity", "--out", owner.toString()).code());

      List<String> casOpts =
          List.of(
              "--cas",
              "https://127.0.0.1:" + cas.port(),
              "--cas-ca",
              data.resolve(CasServer.CA_FILE).toString(),
              "--identity",
              owner.toString());
      Path p1 = dir.resolve("p1.yaml");
      Files.writeString(p1, policy(1, "", M));
      Result created = run(with(casOpts, "session", "create", "--file", p1.toString()));
      assertEquals(0, created.code(), created.err());
      String hash =
          created
              .out()
              .lines()
              .filter(l -> l.startsWith("hash: "))
              .findFirst()
              .orElseThrow()
              .substring(6);

      Result shown = run(with(casOpts, "session", "show", "acme/app"));
      assertEquals(0, shown.code(), shown.err());
      assertTrue(shown.out().contains("secret: pw (ascii"));

      Path p2 = dir.resolve("p2.yaml");
      Files.writeString(p2, policy(2, "ab".repeat(32), M));
      Result stale = run(with(casOpts, "session", "update", "acme/app", "--file", p2.toString()));
      assertEquals(2, stale.code(), stale.err());
      assertTrue(stale.err().contains("predecessor"), stale.err());
      Files.writeString(p2, policy(2, hash, M));
      assertEquals(0, run(with(casOpts, "session", "update", "--file", p2.toString())).code());
      Result hist = run(with(casOpts, "session", "history", "acme/app"));
      assertEquals(2, hist.out().lines().count(), hist.out());

      Path bad = dir.resolve("bad.yaml");
      Files.writeString(bad, "name: acme/b\nversion: 1\nservices: []\ncolour: red\n");
      Result malformed = run(with(casOpts, "session", "create", "--file", bad.toString()));
      assertEquals(2, malformed.code());
      assertTrue(malformed.err().contains("line 4"), malformed.err());

      Path stranger = dir.resolve("stranger.pem");
      run("session", "identity", "--out", stranger.toString());
      List<String> strangerOpts = new ArrayList<>(casOpts);
      strangerOpts.set(5, stranger.toString());
      assertEquals(4, run(with(strangerOpts, "session", "show", "acme/app")).code());

      List<String> att =
          List.of(
              "--cas",
              "https://127.0.0.1:" + cas.port(),
              "--cas-ca",
              data.resolve(CasServer.CA_FILE).toString(),
              "--platform",
              platformDir.toString(),
              "--config-id",
              "acme/app/web");
      Result ok = run(with(att, "attest", "--measurement", M));
      assertEquals(0, ok.code(), ok.err());
      assertTrue(ok.out().contains("env: PW=(redacted"), ok.out());
      Result shownSecrets = run(with(att, "attest", "--measurement", M, "--show-secrets"));
      assertTrue(
          shownSecrets.out().matches("(?s).*env: PW=[A-Za-z0-9]{20}\n.*"), shownSecrets.out());
      Result refused = run(with(att, "attest", "--measurement", "00".repeat(32)));
      assertEquals(3, refused.code());
      assertTrue(refused.err().contains("MEASUREMENT_MISMATCH"), refused.err());
      assertEquals(2, run(with(att, "attest", "--measurement", "xyz")).code());
    }
  }

  @Test
  void unreachableCasIsExit4() throws Exception {
    Path data = dir.resolve("cas");
    int port;
    try (CasServer cas = CasServer.start(CasConfig.builder(data).port(0).build())) {
      port = cas.port();
    }
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort(); // a port where nothing listens once closed
    }
    Path owner = dir.resolve("owner.pem");
    run("session", "identity", "--out", owner.toString());
    Result r =
        run(
            "session",
            "show",
            "x",
            "--cas",
            "https://127.0.0.1:" + port,
            "--cas-ca",
            data.resolve(CasServer.CA_FILE).toString(),
            "--identity",
            owner.toString());
    assertEquals(4, r.code(), r.err());
    assertFalse(r.err().contains("\tat "));
  }

  @Test
  void tamperedStoreRefusesToServeWithExit3() throws Exception {
    Path data = dir.resolve("cas");
    try (CasServer cas = CasServer.start(CasConfig.builder(data).port(0).build())) {
      assertTrue(cas.port() > 0);
    }
    byte[] log = Files.readAllBytes(data.resolve("store.log"));
    log[log.length - 5] ^= 0x40;
    Files.write(data.resolve("store.log"), log);
    Result r = run("cas", "serve", "--data", data.toString(), "--port", "0");
    assertEquals(3, r.code(), r.err());
    assertTrue(r.err().contains("store"), r.err());
  }

  @Test
  void serveRefusesBadArgumentsWithExit2() throws Exception {
    Path bad = dir.resolve("collateral.json");
    Files.writeString(bad, "{not json");
    Path data = dir.resolve("cas").toAbsolutePath();
    assertEquals(2, run("cas", "serve", "--data", data.toString(), "--dcap-collateral",
        bad.toString()).code());
    assertEquals(2, run("cas", "serve", "--data", data.toString(), "--trust-platform",
        dir.resolve("missing.pem").toString()).code());
    assertEquals(2, run("cas", "serve", "--data", data.toString(), "--port", "70000").code());
    assertEquals(2, run("cas", "run").code());
  }
}
