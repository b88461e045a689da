package io.sconej.it.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks a running enclave JVM the way the host's root would reach into an ordinary JVM: through
 * the attach mechanism (jcmd, or loading an agent) and the hsperfdata file. Each attack is first
 * shown to work on the same application run plainly, so the test fails if the enclave loses its
 * hardening.
 */
class EnclaveHardeningTest {
  @TempDir Path work;

  @Test
  void theHostCanNeitherAttachToTheEnclaveJvmNorReadItsPerfData() throws Exception {
    System.setProperty("sun.tools.attach.attachTimeout", "3000");
    try (SconejHarness h = new SconejHarness(work)) {
      Path plat = h.startSimCas();
      Path app = SconejHarness.jarOf(work.resolve("sleep.jar"), StdinSleepApp.class);
      h.createSession("s.yaml", """
          name: it/hardening
          version: 1
          services:
            - name: app
              attestation: {measurements: [%s], modes: [sim]}
              command: [%s]
              console: unprotected
          security: {tolerate: [simulation]}
          """.formatted(h.measurement(app.toString()), StdinSleepApp.class.getName()));

      // The control: the same application as an ordinary JVM can be attached to.
      Process plain = new ProcessBuilder(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          app.toString(), StdinSleepApp.class.getName())
          .redirectOutput(work.resolve("plain.out").toFile())
          .redirectError(work.resolve("plain.err").toFile()).start();
      Process enclave = null;
      try {
        running(plain, work.resolve("plain.out"));
        assertTrue(Files.exists(perfData(plain.pid())), "an ordinary JVM has an hsperfdata file");
        VirtualMachine.attach(Long.toString(plain.pid())).detach();

        // SCONEJ_AOT=0: bin/sconej execs the enclave JVM, so the process is the JVM itself.
        ProcessBuilder pb = new ProcessBuilder(h.repo.resolve("bin/sconej").toString(), "run",
            "--cas", "127.0.0.1:" + h.casPort, "--cas-ca", "cas/cas-ca.pem", "--config-id",
            "it/hardening/app", "--class-path", app.toString(), "--platform", plat.toString())
            .directory(work.toFile()).redirectOutput(work.resolve("enclave.out").toFile())
            .redirectError(work.resolve("enclave.err").toFile());
        pb.environment().putAll(Map.of("SCONEJ_AOT", "0"));
        enclave = pb.start();
        running(enclave, work.resolve("enclave.out"));
        assertFalse(Files.exists(perfData(enclave.pid())), "the enclave JVM has no hsperfdata");
        long pid = enclave.pid();
        Exception e = assertThrows(Exception.class,
            () -> VirtualMachine.attach(Long.toString(pid)).detach());
        assertTrue(e instanceof AttachNotSupportedException || e instanceof IOException,
            e.toString());
        assertTrue(enclave.isAlive(), "the attach attempt must not stop the enclave");
      } finally {
        plain.destroy();
        if (enclave != null) {
          enclave.destroy();
          enclave.waitFor(20, TimeUnit.SECONDS);
        }
        plain.waitFor(20, TimeUnit.SECONDS);
      }
    }
  }

  /** Feeds the application its line and waits until it echoed it. */
  private static void running(Process p, Path out) throws Exception {
    p.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().flush();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(out).contains("got go")) {
      assertTrue(p.isAlive() && System.nanoTime() < deadline, "the application did not start");
      Thread.sleep(100);
    }
  }

  private static Path perfData(long pid) {
    return Path.of(System.getProperty("java.io.tmpdir"),
        "hsperfdata_" + System.getProperty("user.name"), Long.toString(pid));
  }
}
