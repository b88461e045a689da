package io.sconej.it.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.it.run.SconejHarness.Result;
import java.nio.charset.StandardCharsets;
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
 * Issue 10 item 3, end to end (real CLI, CAS over TLS on loopback, enclave JVMs): the session,
 * not the host, decides where an unmodified application's temporary files go ({@code tmp_dir}),
 * its locale ({@code locale}) and the directory its relative paths resolve against ({@code
 * working_dir}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionProcessValuesTest {
  @TempDir static Path work;
  SconejHarness h;
  Path plat;
  Path app;
  Path mount;

  @BeforeAll
  void startCas() throws Exception {
    h = new SconejHarness(work);
    plat = h.startSimCas();
    app = SconejHarness.jarOf(work.resolve("apps.jar"), TempFilesApp.class);
    // The volume's path, and the session's working directory inside it. The host only has an
    // empty directory there to start the enclave in; the volume shield serves the path.
    mount = work.resolve("mnt");
    Files.createDirectories(mount.resolve("app"));
    String policy = """
        name: it/process
        version: 1
        services:
          - name: app
            attestation: {measurements: [%1$s], modes: [sim]}
            command: [%2$s, %3$s]
            volumes: [{name: data, path: %4$s, kind: encrypted}]
            working_dir: %4$s/app
            tmp_dir: %4$s/scratch
            locale: de-CH
            console: unprotected
        security: {tolerate: [simulation]}
        """;
    // The marker the application writes is a secret: no policy, class or host file holds it.
    h.createSession("process.yaml", policy.formatted(h.measurement(app.toString()),
        TempFilesApp.class.getName(), "\"$$SCONEJ::m$$\"", mount).replace(
        "security:", "secrets: [{name: m, kind: ascii, length: 8}]\nsecurity:"));
  }

  @AfterAll
  void stopCas() {
    h.close();
  }

  Result run(Path dir) throws Exception {
    Path vol = Files.createDirectories(work.resolve("vol"));
    return h.sconejIn(dir, Map.of(), "run", "--cas", "127.0.0.1:" + h.casPort, "--cas-ca",
        work.resolve("cas/cas-ca.pem").toString(), "--config-id", "it/process/app",
        "--class-path", app.toString(), "--volume", "data=" + vol, "--platform", plat.toString());
  }

  @Test
  void temporaryFilesLocaleAndRelativePathsFollowTheSession() throws Exception {
    Result r = run(mount.resolve("app"));
    assertEquals(0, r.exit(), "out: " + r.out() + " err: " + r.err());
    String out = r.out();
    String secret = value(out, "io=\\S+ read=(\\S+) io");
    String scratch = mount + "/scratch/";
    // Both JDK temporary-file APIs, with no directory given, use the session's tmp_dir.
    String io = value(out, "io=(\\S+) ");
    String nio = value(out, "nio=(\\S+) ");
    assertTrue(io.startsWith(scratch + "sconej-it-io-"), out);
    assertTrue(nio.startsWith(scratch + "sconej-it-nio-"), out);
    assertTrue(out.contains("nio=" + nio + " read=" + secret + " nio"), out);
    assertTrue(out.contains("listed=[" + Path.of(io).getFileName() + ", "
        + Path.of(nio).getFileName() + "]"), out);
    // Relative paths resolve against the session's working_dir, inside the volume.
    assertTrue(out.contains("relative=" + mount + "/app/relative.txt read=" + secret
        + " relative"), out);
    // The session's locale, also for formatting.
    assertTrue(out.contains("locale=de-CH format=de-CH number=1’234’567.50"), out);
    // None of it reached the host: not where the JDK's own temporary directory is, not in the
    // host directory the enclave ran in, not in plaintext anywhere under the test directory.
    for (String p : new String[] {io, nio}) {
      assertFalse(Files.exists(Path.of("/tmp").resolve(Path.of(p).getFileName())), p);
      assertFalse(Files.exists(Path.of(p)), p);
    }
    assertFalse(Files.exists(mount.resolve("app/relative.txt")));
    try (var files = Files.walk(work)) {
      for (Path p : files.filter(Files::isRegularFile).filter(p -> !p.equals(r.outFile()))
          .toList()) {
        String content = Files.readString(p, StandardCharsets.ISO_8859_1);
        assertFalse(content.contains(secret + " io") || content.contains(secret + " nio")
            || content.contains(secret + " relative"), "plaintext on the host: " + p);
      }
    }
  }

  @Test
  void theEnclaveRefusesToStartInAnotherWorkingDirectoryThanTheSessions() throws Exception {
    Result r = run(work);
    assertEquals(3, r.exit(), "out: " + r.out() + " err: " + r.err());
    assertEquals("", r.out());
    String last = r.err().strip().lines().reduce((a, b) -> b).orElse("");
    assertEquals("sconej run: the enclave was started in working directory " + work
        + ", but the session's working_dir is " + mount + "/app: relative paths would resolve"
        + " against the host's choice; start the enclave from " + mount + "/app", last);
  }

  static String value(String out, String regex) {
    Matcher m = Pattern.compile(regex).matcher(out);
    assertTrue(m.find(), regex + " in " + out);
    return m.group(1);
  }
}
