package io.sconej.it.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.it.run.SconejHarness.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/sconej run} on bad input, through the shell's fast path (which execs the enclave JVM)
 * and through RunCommand ({@code SCONEJ_JAVA_LAUNCHER=1}): the documented exit code and one line,
 * no class name; with {@code SCONEJ_DEBUG=1} the enclave's start-up failure has its stack trace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunBadInputTest {
  private static final Map<String, String> FAST = Map.of();
  private static final Map<String, String> JAVA = Map.of("SCONEJ_JAVA_LAUNCHER", "1");
  @TempDir static Path work;
  SconejHarness h;
  Path plat;
  Path app;

  @BeforeAll
  void setUp() throws Exception {
    h = new SconejHarness(work);
    plat = work.resolve("plat");
    assertEquals(0, h.sconej("platform", "init", "--dir", plat.toString()).exit());
    app = SconejHarness.jarOf(work.resolve("hello.jar"), HelloApp.class);
  }

  @AfterAll
  void tearDown() {
    h.close();
  }

  /** A run against {@code cas} (nothing listens on 127.0.0.1:1) with a real CA certificate. */
  private Result run(Map<String, String> env, String cas, String... more) throws Exception {
    return runOn(plat, env, cas, more);
  }

  private Result runOn(Path platform, Map<String, String> env, String cas, String... more)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("run", "--cas", cas, "--cas-ca",
        plat.resolve("platform-cert.pem").toString(), "--config-id", "s/app", "--class-path",
        app.toString(), "--platform", platform.toString()));
    args.addAll(List.of(more));
    return h.sconej(env, args.toArray(String[]::new));
  }

  private static void oneLine(Result r, int code, String fragment) {
    assertEquals(code, r.exit(), r.err());
    assertEquals(1, r.err().lines().filter(l -> !l.startsWith("sconej: WARNING")
        && !l.contains("SIMULATION")).count(), r.err());
    assertTrue(r.err().contains(fragment), r.err());
    assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
  }

  @Test
  void aVolumeNameGivenTwiceIsRefusedOnBothLaunchPaths() throws Exception {
    for (Map<String, String> env : List.of(FAST, JAVA)) {
      Result r = run(env, "127.0.0.1:1", "--volume", "data=" + work.resolve("A"), "--volume",
          "data=" + work.resolve("B"));
      oneLine(r, 2, "--volume data given more than once");
    }
  }

  @Test
  void aMalformedCasAddressIsBadInputNamingIt() throws Exception {
    for (Map<String, String> env : List.of(FAST, JAVA)) {
      oneLine(run(env, "https://127.0.0.1:99999"), 2, "'https://127.0.0.1:99999' (port 99999");
      oneLine(run(env, "127.0.0.1:x"), 2, "'127.0.0.1:x'");
    }
  }

  @Test
  void aMissingOrCorruptPlatformIsBadInput() throws Exception {
    Result missing = runOn(work.resolve("none"), FAST, "127.0.0.1:1");
    assertEquals(2, missing.exit(), missing.err());
    assertTrue(missing.err().contains("--platform " + work.resolve("none")), missing.err());
    assertTrue(missing.err().contains("does not exist"), missing.err());
    Path bad = Files.createDirectories(work.resolve("plat-bad"));
    Files.writeString(bad.resolve("platform-cert.pem"), "not a certificate");
    Files.writeString(bad.resolve("platform-key.pem"), "not a key");
    Files.setPosixFilePermissions(bad.resolve("platform-key.pem"),
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    Result corrupt = runOn(bad, FAST, "127.0.0.1:1");
    assertEquals(2, corrupt.exit(), corrupt.err());
    assertTrue(corrupt.err().contains("platform-cert.pem"), corrupt.err());
    assertFalse(corrupt.err().contains("\tat "), corrupt.err());
  }

  @Test // without the enclave's regular-file check, both never end (the harness times out)
  void aCasCaThatIsADeviceOrAFifoIsBadInputInTheEnclave() throws Exception {
    Path fifo = work.resolve("ca.fifo");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    for (String ca : List.of("/dev/zero", fifo.toString())) {
      List<String> args = new ArrayList<>(List.of("run", "--cas", "127.0.0.1:1", "--cas-ca", ca,
          "--config-id", "s/app", "--class-path", app.toString(), "--platform", plat.toString()));
      oneLine(h.sconej(FAST, args.toArray(String[]::new)), 2,
          "--cas-ca " + ca + " is not a regular file");
    }
  }

  @Test
  void debugPrintsTheStackTraceOfAStartFailureInTheEnclaveOnly() throws Exception {
    Result plain = run(FAST, "127.0.0.1:1");
    assertEquals(4, plain.exit(), plain.err());
    assertFalse(plain.err().contains("\tat "), plain.err());
    for (Map<String, String> env : List.of(Map.of("SCONEJ_DEBUG", "1"),
        Map.of("SCONEJ_DEBUG", "1", "SCONEJ_JAVA_LAUNCHER", "1"))) {
      Result debug = run(env, "127.0.0.1:1");
      assertEquals(4, debug.exit(), debug.err());
      assertTrue(debug.err().contains("CAS unreachable"), debug.err());
      assertTrue(debug.err().contains("\tat io.sconej."), debug.err());
    }
    // Both launch paths pass it the same way (RunLauncherParityTest's rule).
    Result java = run(Map.of("SCONEJ_DEBUG", "1"), "h:1", "--print-command");
    Result script = run(Map.of("SCONEJ_DEBUG", "1", "SCONEJ_PRINT_COMMAND", "1"), "h:1");
    assertEquals(java.out(), script.out());
    assertTrue(java.out().endsWith("\n--debug\n1\n"), java.out());
    assertFalse(run(FAST, "h:1", "--print-command").out().contains("--debug"));
  }

  @Test
  void aDirectoryThatIsNotAVolumeIsBadInput() throws Exception {
    h.startCas(plat);
    assertEquals(0, h.sconej("session", "identity", "--out", "owner.pem").exit());
    String m = h.measurement(app.toString());
    h.createSession("s.yaml", """
        name: it/notvol
        version: 1
        services:
          - name: app
            attestation:
              measurements: [%s]
              modes: [sim]
            command: [%s, /data]
            volumes: [{name: data, path: /data, kind: encrypted}]
            console: unprotected
        security:
          tolerate: [simulation]
        """.formatted(m, HelloApp.class.getName()));
    Path notVolume = Files.createDirectories(work.resolve("not-a-volume"));
    Files.writeString(notVolume.resolve("notes.txt"), "someone's files");
    Result r = h.sconej("run", "--cas", h.casUrl(), "--cas-ca", "cas/cas-ca.pem", "--config-id",
        "it/notvol/app", "--class-path", app.toString(), "--volume", "data=" + notVolume,
        "--platform", plat.toString());
    oneLine(r, 2, "is not a sconej volume");
    assertFalse(r.out().contains("APP-STARTED"));
    assertEquals("someone's files", Files.readString(notVolume.resolve("notes.txt")));
    Path fifo = work.resolve("volume.fifo");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    for (String dir : List.of("/dev/zero", fifo.toString(), notVolume.resolve("notes.txt")
        .toString())) {
      Result f = h.sconej("run", "--cas", h.casUrl(), "--cas-ca", "cas/cas-ca.pem", "--config-id",
          "it/notvol/app", "--class-path", app.toString(), "--volume", "data=" + dir,
          "--platform", plat.toString());
      oneLine(f, 2, "volume directory " + dir + " for 'data' is not a directory");
    }
  }
}
