package io.sconej.it.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.it.run.SconejHarness.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sconej run} end to end: real CLI, real CAS over TLS on loopback, a real enclave JVM, an
 * application that contains no sconej code.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SconejRunTest {
  @TempDir static Path work;
  SconejHarness h;
  Path plat;
  Path app;
  String measurement;
  int sessions;

  @BeforeAll
  void startCas() throws Exception {
    h = new SconejHarness(work);
    plat = h.startSimCas();
    app = SconejHarness.jarOf(work.resolve("hello.jar"), HelloApp.class);
    measurement = h.measurement(app.toString());
  }

  @AfterAll
  void stopCas() {
    h.close();
  }

  /** Creates a fresh session and returns its config id. */
  String session(String measurementHex, String mainClass) throws Exception {
    return session(measurementHex, mainClass, "unprotected");
  }

  String session(String measurementHex, String mainClass, String console) throws Exception {
    return session(measurementHex, mainClass, console, "");
  }

  /** A fresh session; {@code serviceExtra} is one more line of the service (e.g. hostcalls). */
  String session(String measurementHex, String mainClass, String console, String serviceExtra)
      throws Exception {
    String name = "it/run" + (++sessions);
    String yaml = """
        name: %s
        version: 1
        services:
          - name: app
            attestation:
              measurements: [%s]
              modes: [sim]
            command: [%s, /data, "pw=$$SCONEJ::pw$$"]
            environment:
              GREETING: from-the-session
            volumes:
              - name: data
                path: /data
                kind: encrypted
            console: %s
            %s
        secrets:
          - name: pw
            kind: ascii
            length: 12
        security:
          tolerate: [simulation]
        """.formatted(name, measurementHex, mainClass, console, serviceExtra);
    h.createSession(name.replace('/', '-') + ".yaml", yaml);
    return name + "/app";
  }

  Result run(String configId, Path volume) throws Exception {
    return h.sconej(Map.of("HOME", "/host-home-must-not-leak"), "run", "--cas",
        "127.0.0.1:" + h.casPort, "--cas-ca", "cas/cas-ca.pem", "--config-id", configId,
        "--class-path", app.toString(), "--volume", "data=" + volume, "--platform",
        plat.toString());
  }

  /** Runs with SCONEJ_TIMING=1 (which prints the host calls in use) and extra run options. */
  Result runTimed(String configId, Path volume, String... options) throws Exception {
    List<String> args = new ArrayList<>(List.of("run", "--cas", "127.0.0.1:" + h.casPort,
        "--cas-ca", "cas/cas-ca.pem", "--config-id", configId, "--class-path", app.toString(),
        "--volume", "data=" + volume, "--platform", plat.toString()));
    args.addAll(List.of(options));
    return h.sconej(Map.of("SCONEJ_TIMING", "1"), args.toArray(new String[0]));
  }

  String asyncMeasurement() throws Exception {
    String hex = h.measurement(app.toString(), "--hostcalls", "async");
    assertNotEquals(measurement, hex, "the host-call mode is measured");
    return hex;
  }

  @Test
  void theVolumeRunsOnTheAsyncHostCallsTheSessionConfigures() throws Exception {
    String id = session(asyncMeasurement(), HelloApp.class.getName(), "unprotected",
        "hostcalls: {mode: async, sthreads: 2, slots: 64}");
    Path vol = Files.createDirectories(work.resolve("vol-async"));
    // The launch asks for 128 slots (the session's 64 win) and 2 queues (the session is silent).
    String[] launch = {"--hostcalls", "async", "--hostcall", "slots=128", "--hostcall", "queues=2"};
    Result r1 = runTimed(id, vol, launch);
    assertEquals(0, r1.exit(), r1.err());
    assertTrue(r1.out().contains("run 1"), r1.out());
    assertTrue(r1.err().contains(
        "sconej hostcalls: mode=async ethreads=2 sthreads=2 queues=2 slots=64 "), r1.err());
    // Requests were posted to these queues while the volume was mounted: it runs on them.
    assertTrue(
        r1.err().matches("(?s).*sconej hostcalls: mode=async [^\\n]* requests=[1-9]\\d*\\n.*"),
        r1.err());
    assertFalse(r1.err().contains("failed"), r1.err());
    try (Stream<Path> s = Files.walk(vol)) {
      List<Path> files = s.filter(Files::isRegularFile).toList();
      assertFalse(files.isEmpty());
      for (Path p : files) {
        String content = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
        assertFalse(content.contains("COUNTER-PLAINTEXT-MARKER"), p.toString());
      }
    }
    // The counter was committed at exit through the queues before the sthreads stopped.
    Result r2 = runTimed(id, vol, launch);
    assertEquals(0, r2.exit(), r2.err());
    assertTrue(r2.out().contains("run 2"), r2.out());
    assertTrue(r2.err().contains("sconej hostcalls: mode=async"), r2.err());
  }

  @Test
  void aSessionHostCallModeOtherThanTheLaunchsStopsTheStart() throws Exception {
    String id = session(asyncMeasurement(), HelloApp.class.getName(), "unprotected",
        "hostcalls: {mode: sync}");
    Path vol = Files.createDirectories(work.resolve("vol-mismatch"));
    Result r = runTimed(id, vol, "--hostcalls", "async");
    assertEquals(3, r.exit(), r.err());
    assertTrue(r.err().contains("sconej run: the session requires hostcalls mode sync but the"
        + " enclave was launched with --hostcalls async (launch with --hostcalls sync)"), r.err());
    assertFalse(r.out().contains("APP-STARTED"), r.out());
    assertFalse(r.err().contains("sconej hostcalls:"), r.err());
    try (Stream<Path> s = Files.list(vol)) {
      assertEquals(0, s.count(), "no volume was created");
    }
  }

  @Test
  void runsWithTheSessionsConfigurationAndAShieldedVolume() throws Exception {
    String id = session(measurement, HelloApp.class.getName());
    Path vol = Files.createDirectories(work.resolve("vol1"));
    Result r1 = run(id, vol);
    assertEquals(0, r1.exit(), r1.err());
    assertTrue(r1.err().contains("NO hardware protection"), r1.err());
    assertTrue(r1.out().contains("GREETING=from-the-session HOME=null"), r1.out());
    // Native code sees the same environment (the C library's environ was replaced too).
    assertTrue(r1.out().contains("native:GREETING=from-the-session native:HOME=null"), r1.out());
    assertTrue(r1.out().matches("(?s).*args=/data,pw=[A-Za-z0-9]{12}.*"), r1.out());
    assertTrue(r1.out().contains("run 1 cpus=2"), r1.out());
    Result r2 = run(id, vol);
    assertEquals(0, r2.exit(), r2.err());
    assertTrue(r2.out().contains("run 2"), r2.out());
    try (Stream<Path> s = Files.walk(vol)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String content = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
        assertFalse(content.contains("COUNTER-PLAINTEXT-MARKER"), p.toString());
      }
    }
  }

  @Test
  void aRefusingDefaultRegionStopsWritesOutsideTheVolumesByNioAndJavaIo() throws Exception {
    Path jar = SconejHarness.jarOf(work.resolve("escape.jar"), EscapeApp.class);
    String hex = h.measurement(jar.toString());
    Path nio = work.resolve("escaped-nio.txt");
    Path io = work.resolve("escaped-io.txt");
    for (String region : List.of("refuse", "unprotected")) {
      String name = "it/escape-" + region;
      h.createSession(region + ".yaml", """
          name: %s
          version: 1
          services:
            - name: app
              attestation: {measurements: [%s], modes: [sim]}
              command: [%s, /data, %s, %s]
              volumes: [{name: data, path: /data, kind: encrypted}]
              default_region: %s
              console: unprotected
          security: {tolerate: [simulation]}
          """.formatted(name, hex, EscapeApp.class.getName(), nio, io, region));
      Result r = h.sconej("run", "--cas", "127.0.0.1:" + h.casPort, "--cas-ca",
          "cas/cas-ca.pem", "--config-id", name + "/app", "--class-path", jar.toString(),
          "--volume", "data=" + Files.createDirectories(work.resolve("vol-" + region)),
          "--platform", plat.toString());
      assertEquals(0, r.exit(), r.err());
      assertTrue(r.out().contains("inside ok"), r.out());
      if (region.equals("refuse")) {
        assertTrue(r.out().contains("nio refused AccessDeniedException"), r.out());
        assertTrue(r.out().contains("io refused"), r.out());
        assertFalse(Files.exists(nio) || Files.exists(io), "a write left the volumes");
      } else {
        assertTrue(r.out().contains("nio escaped") && r.out().contains("io escaped"), r.out());
        assertTrue(Files.exists(nio) && Files.exists(io));
      }
    }
  }

  @Test
  void aHostVariableReachesTheAppOnlyWhenTheSessionImportsIt() throws Exception {
    String id = session(measurement, HelloApp.class.getName(), "unprotected",
        "host_environment: [HOME]");
    Result r = run(id, Files.createDirectories(work.resolve("vol-hostenv")));
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("native:GREETING=from-the-session"
        + " native:HOME=/host-home-must-not-leak"), r.out());
    assertTrue(r.out().contains("GREETING=from-the-session HOME=/host-home-must-not-leak"),
        r.out());
  }

  @Test
  void aProtectedConsoleLeavesOnlyRecordsTheOwnerDecryptsThroughTheCas() throws Exception {
    String id = session(measurement, HelloApp.class.getName(), "protected");
    Result r = run(id, Files.createDirectories(work.resolve("vol5")));
    assertEquals(0, r.exit(), r.err());
    assertFalse(r.out().contains("APP-STARTED"), "plaintext on the host's stdout");
    Result d = h.sconej("console", "decrypt", "--cas", h.casUrl(), "--cas-ca", "cas/cas-ca.pem",
        "--identity", "owner.pem", "--config-id", id, r.outFile().toString());
    assertEquals(0, d.exit(), d.err());
    assertTrue(d.out().contains("APP-STARTED") && d.out().contains("run 1"), d.out());
    Result stranger = h.sconej("console", "decrypt", "--key-file", writeKey(), r.outFile()
        .toString());
    assertEquals(3, stranger.exit(), stranger.err());
  }

  String writeKey() throws Exception {
    Path k = work.resolve("stranger.key");
    if (!Files.exists(k)) {
      assertEquals(0, h.sconej("console", "keygen", "--out", k.toString()).exit());
    }
    return k.toString();
  }

  @Test
  void aRolledBackVolumeStopsTheStartBeforeTheApplicationRuns() throws Exception {
    String id = session(measurement, HelloApp.class.getName());
    Path vol = Files.createDirectories(work.resolve("vol2"));
    assertEquals(0, run(id, vol).exit());
    Path old = work.resolve("vol2-old");
    copy(vol, old);
    assertEquals(0, run(id, vol).exit());
    delete(vol);
    copy(old, vol);
    Result r = run(id, vol);
    assertEquals(3, r.exit(), r.err());
    assertFalse(r.out().contains("APP-STARTED"));
    assertTrue(r.err().contains("rolled back"), r.err());
  }

  @Test
  void aVolumeUnderAnotherKeyIsRefusedBeforeTheApplicationRuns() throws Exception {
    String a = session(measurement, HelloApp.class.getName());
    String b = session(measurement, HelloApp.class.getName());
    Path vol = Files.createDirectories(work.resolve("vol6"));
    assertEquals(0, run(a, vol).exit());
    Result r = run(b, vol); // session b's CAS-held key does not open session a's volume
    assertEquals(3, r.exit(), r.err());
    assertTrue(r.err().contains("wrong key"), r.err());
    assertFalse(r.out().contains("APP-STARTED"));
  }

  @Test
  void aWrongMeasurementIsRefusedBeforeTheApplicationRuns() throws Exception {
    String id = session("ab".repeat(32), HelloApp.class.getName());
    Result r = run(id, Files.createDirectories(work.resolve("vol3")));
    assertEquals(3, r.exit(), r.err());
    assertTrue(r.err().contains("MEASUREMENT_MISMATCH"), r.err());
    assertFalse(r.out().contains("APP-STARTED"));
  }

  @Test
  void aPlatformKeyThatDoesNotMatchItsCertificateIsNamedAfterTheCasRefusesIt() throws Exception {
    // The enclave signs without checking its platform first (one signature less per start): a
    // key that is not the trusted certificate's is refused by the CAS, then named locally.
    Path forged = work.resolve("plat-forged");
    assertEquals(0, h.sconej("platform", "init", "--dir", forged.toString()).exit());
    Files.copy(plat.resolve("platform-cert.pem"), forged.resolve("platform-cert.pem"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    String id = session(measurement, HelloApp.class.getName());
    Result r = h.sconej("run", "--cas", "127.0.0.1:" + h.casPort, "--cas-ca", "cas/cas-ca.pem",
        "--config-id", id, "--class-path", app.toString(), "--volume",
        "data=" + Files.createDirectories(work.resolve("vol-forged")), "--platform",
        forged.toString());
    assertEquals(3, r.exit(), r.err());
    assertTrue(r.err().contains("BAD_SIGNATURE"), r.err());
    assertTrue(r.err().contains("key does not match"), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
    assertFalse(r.out().contains("APP-STARTED"));
  }

  @Test
  void badInputAndUnreachablePeersGetTheirExitCodes() throws Exception {
    String id = session(measurement, HelloApp.class.getName());
    Result missingDir = run(id, work.resolve("no-such-dir"));
    assertEquals(2, missingDir.exit(), missingDir.err());
    assertTrue(missingDir.err().contains("does not exist"), missingDir.err());

    String badMain = session(measurement, "no.such.Main");
    Result noMain = run(badMain, Files.createDirectories(work.resolve("vol4")));
    assertEquals(2, noMain.exit(), noMain.err());
    assertTrue(noMain.err().contains("no.such.Main not found"), noMain.err());

    Result unreachable = h.sconej("run", "--cas", "127.0.0.1:1", "--cas-ca", "cas/cas-ca.pem",
        "--config-id", id, "--class-path", app.toString(), "--volume", "data=" + work,
        "--platform", plat.toString());
    assertEquals(4, unreachable.exit(), unreachable.err());
    for (Result r : new Result[] {missingDir, noMain, unreachable}) {
      assertFalse(r.err().contains("\tat "), r.err());
    }
  }

  static void copy(Path from, Path to) throws Exception {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  static void delete(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
