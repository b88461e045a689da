package io.sconej.it.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.it.run.SconejHarness.Result;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * HSQLDB, unmodified from Maven Central, whose file I/O is {@code java.io} (RandomAccessFile,
 * FileOutputStream, File), driven by its own SqlTool under {@code sconej run}: the java.io agent
 * routes its database files into the shielded volume.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HsqldbUnderSconejTest {
  @TempDir static Path work;
  SconejHarness h;
  Path plat;
  String cp;
  String id;

  @BeforeAll
  void setUp() throws Exception {
    h = new SconejHarness(work);
    plat = h.startSimCas();
    cp = jarOf(org.hsqldb.jdbc.JDBCDriver.class) + File.pathSeparator
        + jarOf(org.hsqldb.cmdline.SqlTool.class);
    String measurement = h.measurement(cp);
    for (String name : new String[] {"it/hsql", "it/hsql-tamper"}) {
      createSession(name, measurement);
    }
    id = "it/hsql/db";
  }

  void createSession(String name, String measurement) throws Exception {
    h.createSession(name.replace('/', '-') + ".yaml", """
        name: %s
        version: 1
        services:
          - name: db
            attestation:
              measurements: [%s]
              modes: [sim]
            command: [org.hsqldb.cmdline.SqlTool,\
         "--inlineRc=url=jdbc:hsqldb:file:/data/db;shutdown=true,user=SA,password=",\
         "--sql=CREATE CACHED TABLE IF NOT EXISTS t(id INT, v VARCHAR(100));\
         INSERT INTO t VALUES (1, 'HSQL-MARKER'); COMMIT; SELECT COUNT(*) FROM t;"]
            volumes:
              - name: data
                path: /data
                kind: encrypted
            console: unprotected
        security:
          tolerate: [simulation]
        """.formatted(name, measurement));
  }

  static String jarOf(Class<?> c) throws Exception {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  @AfterAll
  void tearDown() {
    h.close();
  }

  Result run(Path vol) throws Exception {
    return run(vol, id);
  }

  Result run(Path vol, String configId) throws Exception {
    return h.sconej("run", "--cas", "127.0.0.1:" + h.casPort, "--cas-ca", "cas/cas-ca.pem",
        "--config-id", configId, "--class-path", cp, "--volume", "data=" + vol, "--platform",
        plat.toString());
  }

  @Test
  void hsqldbFilesGoThroughTheJavaIoAgentIntoTheVolume() throws Exception {
    Path vol = Files.createDirectories(work.resolve("vol"));
    for (int i = 1; i <= 2; i++) {
      Result r = run(vol);
      assertEquals(0, r.exit(), r.err());
      assertEquals(Integer.toString(i), r.out().strip(), "rows after run " + i);
    }
    try (Stream<Path> s = Files.walk(vol)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String c = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
        assertFalse(c.contains("HSQL-MARKER"), "plaintext in " + p);
        assertFalse(c.contains("CREATE CACHED TABLE"), "plaintext in " + p);
      }
    }
    assertFalse(Files.exists(Path.of("/data/db.script")), "HSQLDB wrote to the host's /data");
    Path old = work.resolve("vol-old");
    SconejRunTest.copy(vol, old);
    assertEquals(0, run(vol).exit());
    SconejRunTest.delete(vol);
    SconejRunTest.copy(old, vol);
    Result rolledBack = run(vol);
    assertEquals(3, rolledBack.exit(), rolledBack.err());
    assertTrue(rolledBack.err().contains("rolled back"), rolledBack.err());
  }

  @Test
  void aTamperedDatabaseFileMakesTheRunFailWithAnIntegrityError() throws Exception {
    Path vol = Files.createDirectories(work.resolve("vol-t"));
    assertEquals(0, run(vol, "it/hsql-tamper/db").exit());
    try (Stream<Path> s = Files.walk(vol.resolve("data"))) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        try (var f = new java.io.RandomAccessFile(p.toFile(), "rw")) {
          for (long off = 0; off < f.length(); off += 4096) { // one byte of every chunk slot
            f.seek(off);
            int b = f.read();
            f.seek(off);
            f.write(b ^ 0x5a);
          }
        }
      }
    }
    Result r = run(vol, "it/hsql-tamper/db");
    assertTrue(r.exit() != 0, r.out());
    assertTrue((r.err() + r.out()).contains("integrity violation"), r.err() + r.out());
    assertFalse(r.out().contains("HSQL-MARKER"));
  }
}
