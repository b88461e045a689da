package io.sconej.it.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.it.run.SconejHarness.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
    app = SconejHarness.jarOf(work.resolve("apps.jar"), HelloApp.class);
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

  static String lastLine(String s) {
    return s.strip().lines().reduce((a, b) -> b).orElse("");
  }
}
