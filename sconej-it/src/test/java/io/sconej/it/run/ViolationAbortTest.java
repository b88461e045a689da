package io.sconej.it.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.it.run.SconejHarness.Result;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.h2.tools.Shell;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A violation found while an unmodified application runs aborts the enclave. The application is
 * H2's Shell (from Maven Central) on an in-memory database reading a CSV file from the volume with
 * {@code CSVREAD}: like the database shell of issue 11, it catches the IOException, prints
 * "Error: ..." and goes on (here: writes another file into the volume) and exits 0. By default
 * ({@code on_violation: abort}) the run exits 3 with sconej's line and commits nothing; with
 * {@code on_violation: error} the application sees the error as before.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ViolationAbortTest {
  @TempDir static Path work;
  SconejHarness h;
  Path plat;
  Path h2;
  String measurement;

  static final String WRITE = "[org.h2.tools.Shell, -url, \"jdbc:h2:mem:w\", -user, sa, -sql,"
      + " \"CALL CSVWRITE('/data/rows.csv', 'SELECT X AS N, X * 7 AS M FROM"
      + " SYSTEM_RANGE(1, 3000)')\"]";
  static final String READ = "[org.h2.tools.Shell, -url, \"jdbc:h2:mem:r\", -user, sa, -sql,"
      + " \"SELECT COUNT(*), SUM(CAST(M AS BIGINT)) FROM CSVREAD('/data/rows.csv');"
      + " CALL CSVWRITE('/data/after.csv', 'SELECT 42 AS A')\"]";

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

  String policy(String name, int version, String predecessor, String command, String extra) {
    return """
        name: %s
        version: %d
        %s
        services:
          - name: csv
            attestation:
              measurements: [%s]
              modes: [sim]
            command: %s
            volumes:
              - name: data
                path: /data
                kind: encrypted
                %s
            console: unprotected
        security:
          tolerate: [simulation]
        """.formatted(name, version, predecessor == null ? "" : "predecessor: " + predecessor,
        measurement, command, extra);
  }

  String session(String name, int version, String predecessor, String command, String extra)
      throws Exception {
    return h.postSession(name, version, policy(name, version, predecessor, command, extra));
  }

  Result run(String name, Path vol) throws Exception {
    return h.sconej("run", "--cas", "127.0.0.1:" + h.casPort, "--cas-ca", "cas/cas-ca.pem",
        "--config-id", name + "/csv", "--class-path", h2.toString(), "--volume", "data=" + vol,
        "--platform", plat.toString());
  }

  /** Writes rows.csv (the volume's only file), then switches the session to reading it. */
  Path written(String name, String onViolation) throws Exception {
    String v1 = session(name, 1, null, WRITE, onViolation);
    Path vol = Files.createDirectories(work.resolve(name.replace('/', '-')));
    Result w = run(name, vol);
    assertEquals(0, w.exit(), w.err() + w.out());
    session(name, 2, v1, READ, onViolation);
    return vol;
  }

  /** Flips (or, again, restores) one byte of every 4 KiB chunk slot of the only data file. */
  static Path flip(Path vol) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(vol.resolve("data"))) {
      files = s.filter(Files::isRegularFile).toList();
    }
    assertEquals(1, files.size(), files.toString());
    try (RandomAccessFile f = new RandomAccessFile(files.getFirst().toFile(), "rw")) {
      for (long off = 100; off < f.length(); off += 4096) {
        f.seek(off);
        int b = f.read();
        f.seek(off);
        f.write(b ^ 0x5a);
      }
    }
    return files.getFirst();
  }

  static Map<Path, byte[]> snapshot(Path dir) throws IOException {
    Map<Path, byte[]> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        m.put(dir.relativize(p), Files.readAllBytes(p));
      }
    }
    return m;
  }

  @Test
  void byDefaultAViolationAbortsTheEnclaveWithExit3AndCommitsNothing() throws Exception {
    Path vol = written("it/abort", "");
    Path victim = flip(vol);
    Map<Path, byte[]> before = snapshot(vol);
    Result r = run("it/abort", vol);
    assertEquals(3, r.exit(), r.err() + r.out());
    List<String> lines = r.err().lines().filter(l -> l.contains("integrity violation")).toList();
    assertEquals(1, lines.size(), r.err());
    String hostFile = vol.relativize(victim).toString();
    assertTrue(lines.getFirst().matches("sconej: integrity violation in volume 'data', host file "
        + hostFile + ", chunk 0: chunk fails authentication .*; the enclave stops \\(exit 3\\)"
        + " and commits nothing more"), lines.getFirst());
    assertFalse(r.err().contains("rows.csv"), "the host must not learn the file's name");
    assertFalse(r.out().contains("Error"), "the application must not see the violation");
    // Nothing was committed: every host file is as it was (no after.csv, no manifest change).
    Map<Path, byte[]> after = snapshot(vol);
    assertEquals(before.keySet(), after.keySet());
    before.forEach((p, b) -> assertArrayEquals(b, after.get(p), "changed: " + p));
    // The CAS's tag is unchanged too: with the byte restored, the same state starts and reads.
    flip(vol);
    Result ok = run("it/abort", vol);
    assertEquals(0, ok.exit(), ok.err() + ok.out());
    assertTrue(ok.out().matches("(?s).*3000\\s+\\|\\s+31510500.*"), ok.out());
  }

  @Test
  void withOnViolationErrorTheApplicationGetsTheErrorAsBefore() throws Exception {
    Path vol = written("it/error", "on_violation: error");
    flip(vol);
    Result r = run("it/error", vol);
    assertEquals(0, r.exit(), r.err() + r.out());
    assertTrue(r.out().contains("Error: "), r.out());
    assertTrue(r.out().contains("IO Exception"), r.out());
    assertFalse(r.err().contains("the enclave stops"), r.err());
  }
}
