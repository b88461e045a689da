package io.sconej.it.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.it.run.SconejHarness.Result;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.h2.tools.Shell;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The H2 database, unmodified from Maven Central, driven by its own tools under {@code sconej
 * run}: RunScript creates and fills a table (session version 1), Shell queries it (version 2, the
 * owner's update). Its files are ciphertext on the host; tampering and rollback stop it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class H2UnderSconejTest {
  @TempDir static Path work;
  SconejHarness h;
  Path plat;
  Path h2;
  String measurement;
  int n;

  @BeforeAll
  void setUp() throws Exception {
    h = new SconejHarness(work);
    plat = h.startSimCas();
    h2 = Path.of(Shell.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    measurement = h.measurement(h2.toString());
  }

  @AfterAll
  void tearDown() {
    h.close();
  }

  String policy(String name, int version, String predecessor, String command) {
    return """
        name: %s
        version: %d
        %s
        services:
          - name: db
            attestation:
              measurements: [%s]
              modes: [sim]
            command: %s
            files:
              /data/init.sql: "CREATE TABLE IF NOT EXISTS notes(id INT AUTO_INCREMENT PRIMARY KEY,\
         body VARCHAR(200)); INSERT INTO notes(body) VALUES ('H2-MARKER one'), ('H2-MARKER two');"
            volumes:
              - name: data
                path: /data
                kind: encrypted
            console: unprotected
        secrets:
          - name: dbpw
            kind: ascii
        security:
          tolerate: [simulation]
        """.formatted(name, version, predecessor == null ? "" : "predecessor: " + predecessor,
        measurement, command);
  }

  static final String RUNSCRIPT = "[org.h2.tools.RunScript, -url, \"jdbc:h2:/data/db\", -user,"
      + " sa, -password, \"$$SCONEJ::dbpw$$\", -script, /data/init.sql]";
  static final String QUERY = "[org.h2.tools.Shell, -url, \"jdbc:h2:/data/db\", -user, sa,"
      + " -password, \"$$SCONEJ::dbpw$$\", -sql, \"SELECT COUNT(*), MIN(body) FROM notes\"]";

  String session(String command, String name, int version, String predecessor)
      throws Exception {
    return h.postSession(name, version, policy(name, version, predecessor, command));
  }

  Result run(String name, Path vol) throws Exception {
    return h.sconej("run", "--cas", "127.0.0.1:" + h.casPort, "--cas-ca", "cas/cas-ca.pem",
        "--config-id", name + "/db", "--class-path", h2.toString(), "--volume", "data=" + vol,
        "--platform", plat.toString());
  }

  /** Creates and fills the database, then switches the session to the query command. */
  Path fill(String name) throws Exception {
    String v1 = session(RUNSCRIPT, name, 1, null);
    Path vol = Files.createDirectories(work.resolve(name.replace('/', '-')));
    Result init = run(name, vol);
    assertEquals(0, init.exit(), init.err());
    session(QUERY, name, 2, v1);
    return vol;
  }

  @Test
  void h2ToolsRunShieldedAndTheDataSurvivesARestart() throws Exception {
    Path vol = fill("it/h2a");
    Result q = run("it/h2a", vol);
    assertEquals(0, q.exit(), q.err());
    assertTrue(q.out().matches("(?s).*2\\s+\\|\\s+H2-MARKER one.*"), q.out());
    try (Stream<Path> s = Files.walk(vol)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String c = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
        assertFalse(c.contains("H2-MARKER"), "plaintext in " + p);
        assertFalse(c.contains("CREATE TABLE"), "plaintext in " + p);
      }
    }
  }

  @Test
  void aTamperedDatabaseFileStopsH2WithAnIntegrityError() throws Exception {
    Path vol = fill("it/h2b");
    Path biggest;
    try (Stream<Path> s = Files.walk(vol.resolve("data"))) {
      biggest = s.filter(Files::isRegularFile)
          .max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
    }
    try (RandomAccessFile f = new RandomAccessFile(biggest.toFile(), "rw")) {
      for (long off = 0; off < f.length(); off += 4096) { // one byte of every chunk slot
        f.seek(off);
        int b = f.read();
        f.seek(off);
        f.write(b ^ 0x5a);
      }
    }
    Result q = run("it/h2b", vol);
    assertNotEquals(0, q.exit(), q.out());
    assertTrue(q.err().contains("integrity violation") || q.out().contains("integrity violation"),
        q.err() + q.out());
    assertFalse(q.out().contains("H2-MARKER"), q.out());
  }

  @Test
  void anOlderCopyOfTheDatabaseIsRefusedAtTheNextStart() throws Exception {
    Path vol = fill("it/h2c");
    Path old = work.resolve("h2c-old");
    SconejRunTest.copy(vol, old);
    assertEquals(0, run("it/h2c", vol).exit());
    SconejRunTest.delete(vol);
    SconejRunTest.copy(old, vol);
    Result q = run("it/h2c", vol);
    assertEquals(3, q.exit(), q.err());
    assertTrue(q.err().contains("rolled back"), q.err());
    assertFalse(q.out().contains("H2-MARKER"));
  }
}
