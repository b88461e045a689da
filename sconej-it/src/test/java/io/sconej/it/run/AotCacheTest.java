package io.sconej.it.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.it.run.SconejHarness.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sim-mode AOT cache of {@code bin/sconej run}: the first start records silently, later starts
 * use the cache, a corrupt cache is ignored, and none of it ever writes a byte of the JVM's own
 * output into a protected console (which would break the record stream) or onto stderr.
 */
class AotCacheTest {
  @TempDir Path work;

  @Test
  void recordThenUseThenSurviveACorruptCacheWithAProtectedConsole() throws Exception {
    try (SconejHarness h = new SconejHarness(work)) {
      Path plat = h.startSimCas();
      Path app = SconejHarness.jarOf(work.resolve("hello.jar"), HelloApp.class);
      String measurement = h.measurement(app.toString());
      h.createSession("s.yaml", """
          name: it/aot
          version: 1
          services:
            - name: app
              attestation: {measurements: [%s], modes: [sim]}
              command: [%s, /data, x]
              volumes: [{name: data, path: /data, kind: encrypted}]
              console: protected
          security: {tolerate: [simulation]}
          """.formatted(measurement, HelloApp.class.getName()));
      Path vol = Files.createDirectories(work.resolve("vol"));
      Path cacheDir = plat.resolve("aot-cache");

      runAndCheck(h, plat, app, vol, 1, Map.of()); // records
      Path aot = waitForCache(cacheDir);
      runAndCheck(h, plat, app, vol, 2, Map.of()); // uses the cache
      Path patches = Path.of(aot.toString().replaceAll("\\.aot$", ".patches"));
      assertTrue(Files.isRegularFile(patches), "the java.io agent keeps its patches per cache");
      Files.write(aot, new byte[4096]); // a host corrupts both: ignored, the run is unaffected
      Files.write(patches, new byte[] {0, 0, 0, 9, 1, 2});
      runAndCheck(h, plat, app, vol, 3, Map.of());

      deleteTree(cacheDir);
      runAndCheck(h, plat, app, vol, 4, Map.of("SCONEJ_AOT", "0"));
      assertFalse(Files.exists(cacheDir), "SCONEJ_AOT=0 must not record");
    }
  }

  /**
   * The first start of a command is not exec'd (the cache is made after it), so the script must
   * pass the enclave its stdin and the signals a container engine sends, or a server would ignore
   * `docker stop` on its first start.
   */
  @Test
  void theRecordingStartPassesStdinAndSignalsToTheEnclave() throws Exception {
    try (SconejHarness h = new SconejHarness(work)) {
      Path plat = h.startSimCas();
      Path app = SconejHarness.jarOf(work.resolve("sleep.jar"), StdinSleepApp.class);
      String measurement = h.measurement(app.toString());
      h.createSession("s.yaml", """
          name: it/sleep
          version: 1
          services:
            - name: app
              attestation: {measurements: [%s], modes: [sim]}
              command: [%s]
              console: unprotected
          security: {tolerate: [simulation]}
          """.formatted(measurement, StdinSleepApp.class.getName()));
      Path out = work.resolve("sleep.out");
      Process p = new ProcessBuilder(h.repo.resolve("bin/sconej").toString(), "run", "--cas",
          "127.0.0.1:" + h.casPort, "--cas-ca", "cas/cas-ca.pem", "--config-id", "it/sleep/app",
          "--class-path", app.toString(), "--platform", plat.toString())
          .directory(work.toFile()).redirectOutput(out.toFile())
          .redirectError(work.resolve("sleep.err").toFile()).start();
      p.getOutputStream().write(
          "hello-from-stdin\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      p.getOutputStream().flush();
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (!Files.readString(out).contains("got hello-from-stdin")) {
        assertTrue(p.isAlive() && System.nanoTime() < deadline,
            "the enclave never echoed its stdin: " + Files.readString(work.resolve("sleep.err")));
        Thread.sleep(100);
      }
      assertTrue(Files.isDirectory(plat.resolve("aot-cache")), "this start must be the recording");
      List<ProcessHandle> enclave = p.descendants().toList();
      assertFalse(enclave.isEmpty(), "the recording start runs the enclave JVM as a child");
      p.destroy(); // SIGTERM to bin/sconej, as a container engine sends it
      assertTrue(p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS),
          "bin/sconej ignored SIGTERM");
      assertEquals(143, p.exitValue());
      for (ProcessHandle c : enclave) {
        c.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
      }
    }
  }

  private static void runAndCheck(SconejHarness h, Path plat, Path app, Path vol, int n,
      Map<String, String> env) throws Exception {
    Result r = h.sconej(env, "run", "--cas", "127.0.0.1:" + h.casPort, "--cas-ca",
        "cas/cas-ca.pem", "--config-id", "it/aot/app", "--class-path", app.toString(),
        "--volume", "data=" + vol, "--platform", plat.toString());
    assertEquals(0, r.exit(), r.err());
    assertFalse(r.out().contains("run " + n), "plaintext on the host's stdout");
    // stderr holds the runtime's own lines, then (protected console) records: nothing from the VM.
    for (String vm : List.of("[warning]", "[error]", "[info]", "OpenJDK", "AOT", "CDS",
        "Sharing", "archive")) {
      assertFalse(r.err().contains(vm) || r.out().contains(vm), "JVM output: " + vm);
    }
    Result d = h.sconej("console", "decrypt", "--cas", h.casUrl(), "--cas-ca", "cas/cas-ca.pem",
        "--identity", "owner.pem", "--config-id", "it/aot/app", r.outFile().toString());
    assertEquals(0, d.exit(), "the record stream must be intact: " + d.err());
    assertTrue(d.out().contains("run " + n), d.out());
  }

  private static Path waitForCache(Path dir) throws Exception {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (Files.isDirectory(dir)) {
        try (Stream<Path> s = Files.list(dir)) {
          var hit = s.filter(p -> p.toString().endsWith(".aot")).findFirst();
          if (hit.isPresent()) {
            return hit.get();
          }
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no AOT cache was created in " + dir);
  }

  private static void deleteTree(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
