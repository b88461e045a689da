package io.sconej.it.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.it.run.SconejHarness.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 item 3, "the host gets no plaintext", end to end: real CLI, real CAS over TLS on
 * loopback, real enclave JVMs. Secrets never appear in the enclave's plaintext start-up errors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NoPlaintextTest {
  @TempDir static Path work;
  SconejHarness h;
  Path plat;
  Path app;
  String measurement;

  @BeforeAll
  void startCas() throws Exception {
    h = new SconejHarness(work);
    plat = h.startSimCas();
    app = SconejHarness.jarOf(work.resolve("apps.jar"), HelloApp.class, SignalApp.class,
        HostValuesApp.class);
    measurement = h.measurement(app.toString());
  }

  @AfterAll
  void stopCas() {
    h.close();
  }

  Result run(String configId, String... env) throws Exception {
    Path vol = Files.createDirectories(work.resolve("vol-" + configId.replace('/', '-')));
    Map<String, String> e = new java.util.HashMap<>();
    for (int i = 0; i < env.length; i += 2) {
      e.put(env[i], env[i + 1]);
    }
    return h.sconej(e, "run", "--cas", "127.0.0.1:" + h.casPort, "--cas-ca", "cas/cas-ca.pem",
        "--config-id", configId, "--class-path", app.toString(), "--volume", "data=" + vol,
        "--platform", plat.toString());
  }

  @Test
  void anErrorAboutTheSessionsCommandNeverShowsAnExpandedSecret() throws Exception {
    String hello = HelloApp.class.getName();
    h.createSession("leak.yaml", """
        name: it/leak
        version: 1
        services:
          - name: shows
            attestation: {measurements: [%1$s], modes: [sim]}
            command: [%2$s, /data, "pw=$$SCONEJ::pw$$"]
            volumes: [{name: data, path: /data, kind: encrypted}]
            console: unprotected
          - name: jvmoption
            attestation: {measurements: [%1$s], modes: [sim]}
            command: [java, "--password=$$SCONEJ::pw$$", %2$s]
            volumes: [{name: data, path: /data, kind: encrypted}]
            console: unprotected
          - name: mainclass
            attestation: {measurements: [%1$s], modes: [sim]}
            command: ["Main$$SCONEJ::pw$$"]
            volumes: [{name: data, path: /data, kind: encrypted}]
            console: unprotected
        secrets:
          - {name: pw, kind: ascii, length: 16}
        security: {tolerate: [simulation]}
        """.formatted(measurement, hello));
    // The control: the secret's value, as the application receives it.
    Result shows = run("it/leak/shows");
    assertEquals(0, shows.exit(), shows.err());
    Matcher m = Pattern.compile("pw=([A-Za-z0-9]{16})").matcher(shows.out());
    assertTrue(m.find(), shows.out());
    String secret = m.group(1);

    Result option = run("it/leak/jvmoption");
    assertEquals(2, option.exit(), option.err());
    assertFalse(option.err().contains(secret), "the secret reached the host: " + option.err());
    String line = lastLine(option.err());
    assertTrue(line.startsWith("sconej run: element 2 of the session's command is a JVM option"),
        option.err());

    Result main = run("it/leak/mainclass");
    assertEquals(2, main.exit(), main.err());
    assertFalse(main.err().contains(secret), "the secret reached the host: " + main.err());
    assertTrue(lastLine(main.err()).contains("Main$$SCONEJ::pw$$"), main.err());
  }

  @Test
  void aSigquitLeavesNoThreadDumpInTheProtectedStreamsAndSigtermStillEndsThem() throws Exception {
    h.createSession("signal.yaml", """
        name: it/signal
        version: 1
        services:
          - name: app
            attestation: {measurements: [%s], modes: [sim]}
            command: [%s]
            console: protected
        security: {tolerate: [simulation]}
        """.formatted(measurement, SignalApp.class.getName()));
    // SIGQUIT while the application runs: without -XX:-DisplayVMOutput the JVM writes a thread
    // dump into the protected stdout.
    Process quit = start("quit");
    awaitRecords(work.resolve("quit.out"));
    signal("QUIT", quit.pid());
    Thread.sleep(1000); // the dump, if any, is written by the JVM's signal dispatcher
    quit.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
    quit.getOutputStream().close();
    assertTrue(quit.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, quit.exitValue());
    Result out = decrypt("quit.out");
    assertEquals(0, out.exit(), out.err());
    assertEquals("before-signal\nafter-signal go\n", out.out());
    assertEquals("", out.err());
    // The stderr capture as taken: sconej's plaintext sim warning, then the stream.
    assertTrue(Files.readString(work.resolve("quit.err"), StandardCharsets.ISO_8859_1)
        .startsWith("sconej: WARNING: mode sim"));
    Result err = decrypt("quit.err");
    assertEquals(0, err.exit(), err.err());
    assertEquals("on-stderr\n", err.out());
    assertTrue(err.err().startsWith("sconej console: note: "), err.err());

    // SIGTERM (docker stop): the shutdown hooks still run and write the END records.
    Process term = start("term");
    awaitRecords(work.resolve("term.out"));
    signal("TERM", term.pid());
    assertTrue(term.waitFor(60, TimeUnit.SECONDS));
    assertEquals(143, term.exitValue());
    Result t = decrypt("term.out");
    assertEquals(0, t.exit(), t.err());
    assertEquals("before-signal\n", t.out());
  }

  @Test
  void theApplicationSeesTheEnclavesLocaleEncodingAndTemporaryDirectoryNotTheHosts()
      throws Exception {
    h.createSession("values.yaml", """
        name: it/values
        version: 1
        services:
          - name: app
            attestation: {measurements: [%s], modes: [sim]}
            command: [%s]
            volumes: [{name: data, path: /data, kind: encrypted}]
            console: unprotected
        security: {tolerate: [simulation]}
        """.formatted(measurement, HostValuesApp.class.getName()));
    String[] host = {"LANG", "C", "LC_ALL", "POSIX"};
    // The control: the same application as an ordinary JVM gets the host's values.
    Path controlTmp = Files.createDirectories(work.resolve("control-tmp"));
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-Djava.io.tmpdir=" + controlTmp, "-cp", app.toString(),
        HostValuesApp.class.getName()).directory(work.toFile())
        .redirectOutput(work.resolve("plain-values.out").toFile());
    pb.environment().putAll(Map.of(host[0], host[1], host[2], host[3]));
    assertEquals(0, pb.start().waitFor());
    String control = Files.readString(work.resolve("plain-values.out"),
        StandardCharsets.ISO_8859_1);
    assertTrue(control.contains("tmpdir=" + controlTmp) && control.contains("out=US-ASCII"),
        control);
    try (var files = Files.list(controlTmp)) {
      assertTrue(files.anyMatch(p -> read(p).contains("TEMP-PLAINTEXT-MARKER")));
    }

    Result r = run("it/values/app", host);
    assertEquals(0, r.exit(), "out: " + r.out() + " err: " + r.err());
    String out = r.out();
    assertTrue(out.contains("tmpdir=/data/.sconej-tmp language=en country=US locale=en-US"
        + " format=en-US file.encoding=UTF-8 out=UTF-8 err=UTF-8 ü"), out);
    assertTrue(out.contains("temp files /data/.sconej-tmp/scratch-io.tmp"
        + " /data/.sconej-tmp/scratch-nio.tmp"), out);
    // Nothing of the temporary files is in plaintext on the host.
    try (var files = Files.walk(work)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        if (!p.startsWith(controlTmp)) {
          assertFalse(read(p).contains("TEMP-PLAINTEXT-MARKER"), p.toString());
        }
      }
    }
  }

  /** The enclave JVM itself (SCONEJ_AOT=0: bin/sconej execs it), stdout and stderr to files. */
  Process start(String name) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(h.repo.resolve("bin/sconej").toString(), "run",
        "--cas", "127.0.0.1:" + h.casPort, "--cas-ca", "cas/cas-ca.pem", "--config-id",
        "it/signal/app", "--class-path", app.toString(), "--platform", plat.toString())
        .directory(work.toFile()).redirectOutput(work.resolve(name + ".out").toFile())
        .redirectError(work.resolve(name + ".err").toFile());
    pb.environment().put("SCONEJ_AOT", "0");
    return pb.start();
  }

  /** Waits until the capture holds the header and a first record. */
  static void awaitRecords(Path capture) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (Files.size(capture) < 56 + 29 + "before-signal\n".length()) {
      assertTrue(System.nanoTime() < deadline, "the application did not start");
      Thread.sleep(50);
    }
  }

  static void signal(String name, long pid) throws Exception {
    assertEquals(0, new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start().waitFor());
  }

  Result decrypt(String file) throws Exception {
    return h.sconej("console", "decrypt", "--cas", h.casUrl(), "--cas-ca", "cas/cas-ca.pem",
        "--identity", "owner.pem", "--config-id", "it/signal/app", file);
  }

  static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.ISO_8859_1);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static String lastLine(String s) {
    return s.strip().lines().reduce((a, b) -> b).orElse("");
  }
}
