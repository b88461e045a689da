package io.sconej.it.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.it.run.SconejHarness.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.h2.tools.Shell;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writer per volume, with two real enclaves running H2's interactive Shell (from Maven
 * Central, unmodified) on one volume. A second {@code sconej run} (or {@code sconej fs import})
 * while the first is mounted fails fast: exit 2 and one line. A host that removes the writer lock
 * gets two mounted writers; the one that commits second is refused by the CAS (its predecessor is
 * no longer the volume's latest state) and stops with exit 3 and one line, and the first one's
 * state stands.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OneWriterTest {
  @TempDir static Path work;
  SconejHarness h;
  Path plat;
  Path h2;
  String measurement;

  /** An enclave started in the background, its stdin open. */
  record Enclave(Process process, Path out, Path err) {
    void send(String sql) throws IOException {
      process.getOutputStream().write((sql + "\n").getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().flush();
    }

    /** Sends quit and waits for the exit; returns the exit code. */
    int quit() throws Exception {
      send("quit");
      process.getOutputStream().close();
      assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the enclave did not exit");
      return process.exitValue();
    }

    String output() throws IOException {
      return Files.readString(out) + Files.readString(err);
    }
  }

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

  /** A session whose service runs H2's Shell reading SQL from stdin, with volume data at /data. */
  Path session(String name) throws Exception {
    h.createSession(name.replace('/', '-') + ".yaml", """
        name: %s
        version: 1
        services:
          - name: sql
            attestation:
              measurements: [%s]
              modes: [sim]
            command: [org.h2.tools.Shell, -url, "jdbc:h2:mem:m", -user, sa]
            volumes:
              - name: data
                path: /data
                kind: encrypted
            console: unprotected
        security:
          tolerate: [simulation]
        """.formatted(name, measurement));
    return Files.createDirectories(work.resolve(name.replace('/', '-')));
  }

  /** Starts {@code sconej run} and waits until the Shell greets (so the volume is mounted). */
  Enclave start(String name, Path vol) throws Exception {
    String id = name.replace('/', '-') + "-" + System.nanoTime();
    Path out = work.resolve(id + ".out");
    Path err = work.resolve(id + ".err");
    Process p = new ProcessBuilder(command(name, vol)).directory(work.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    Enclave e = new Enclave(p, out, err);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.readString(out).contains("Welcome to H2 Shell")) {
      assertTrue(p.isAlive() && System.nanoTime() < deadline,
          "the enclave did not start: " + e.output());
      Thread.sleep(50);
    }
    return e;
  }

  List<String> command(String name, Path vol) {
    return List.of(h.repo.resolve("bin/sconej").toString(), "run", "--cas",
        "127.0.0.1:" + h.casPort, "--cas-ca", "cas/cas-ca.pem", "--config-id", name + "/sql",
        "--class-path", h2.toString(), "--volume", "data=" + vol, "--platform", plat.toString());
  }

  /** Runs the Shell to completion on {@code sql} (then quit) as stdin. */
  Result runWith(String name, Path vol, String sql) throws Exception {
    Path in = Files.writeString(work.resolve("in-" + System.nanoTime() + ".sql"),
        sql + "\nquit\n");
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    Process p = new ProcessBuilder(command(name, vol)).directory(work.toFile())
        .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
        .start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "sconej run timed out");
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err), out, err);
  }

  static String csvWrite(String file, int n) {
    return "CALL CSVWRITE('/data/" + file + "', 'SELECT X AS N FROM SYSTEM_RANGE(1, " + n + ")');";
  }

  static String countOf(String file) {
    String column = "ROWS_IN_" + file.replace('.', '_').toUpperCase(java.util.Locale.ROOT);
    return "SELECT COUNT(*) AS " + column + " FROM CSVREAD('/data/" + file + "');";
  }

  static List<String> lines(String err, String marker) {
    return err.lines().filter(l -> l.contains(marker)).toList();
  }

  @Test
  void aSecondWriterOfAMountedVolumeFailsFastWithOneLine() throws Exception {
    Path vol = session("it/busy");
    Path abs = vol.toAbsolutePath().normalize();
    String inUse = "volume " + abs + " is in use: another process has it open read-write (its lock "
        + abs.resolve("writer.lock") + " is held); a volume has one writer at a time";
    Enclave first = start("it/busy", vol);
    try {
      Result second = runWith("it/busy", vol, csvWrite("second.csv", 5));
      assertEquals(2, second.exit(), second.err() + second.out());
      assertEquals(List.of("sconej run: " + inUse), lines(second.err(), "in use"), second.err());
      assertFalse(second.out().contains("Welcome"), "the application must not start");
      // The owner's tool on the host is refused too (before it even reads the key).
      Path key = Files.writeString(work.resolve("some.key"), "ab".repeat(32));
      Path src = Files.createDirectories(work.resolve("import-src"));
      Files.writeString(src.resolve("x.txt"), "x");
      Result fs = h.sconej("fs", "import", vol.toString(), src.toString(), "--key-file",
          key.toString());
      assertEquals(2, fs.exit(), fs.err());
      assertEquals("sconej fs: " + inUse, fs.err().strip());
      // The first writer is unaffected and commits at its exit.
      first.send(csvWrite("first.csv", 7));
      assertEquals(0, first.quit(), first.output());
    } finally {
      first.process().destroyForcibly();
    }
    Result after = runWith("it/busy", vol, countOf("first.csv"));
    assertEquals(0, after.exit(), after.err() + after.out());
    assertTrue(after.out().matches("(?s).*ROWS_IN_FIRST_CSV\\s*\\n7\\b.*"), after.out());
  }

  @Test
  void aSecondWriterLetInByTheHostIsRefusedByTheCasAndStops() throws Exception {
    Path vol = session("it/forced");
    Result base = runWith("it/forced", vol, csvWrite("base.csv", 3));
    assertEquals(0, base.exit(), base.err() + base.out());
    Enclave a = start("it/forced", vol);
    Enclave b = null;
    try {
      Files.delete(vol.resolve("writer.lock")); // the host forces a second writer in
      b = start("it/forced", vol);
      // Both mounted the same committed state; A commits first (at its exit), then B.
      a.send(csvWrite("a.csv", 11));
      assertEquals(0, a.quit(), a.output());
      b.send(csvWrite("b.csv", 13));
      int exit = b.quit();
      String err = Files.readString(b.err());
      assertEquals(3, exit, b.output());
      List<String> refused = lines(err, "the CAS refused");
      assertEquals(1, refused.size(), err);
      assertTrue(refused.getFirst().matches("sconej: the CAS refused a commit of volume 'data'"
          + " \\(.*another writer committed first, or this copy of the volume was forked\\);"
          + " the enclave stops \\(exit 3\\) and commits nothing more"), refused.getFirst());
    } finally {
      a.process().destroyForcibly();
      if (b != null) {
        b.process().destroyForcibly();
      }
    }
    // A's state is the volume's: it starts (the CAS holds A's tag) and has a.csv, not b.csv.
    Result after = runWith("it/forced", vol, countOf("a.csv") + "\n" + countOf("b.csv"));
    assertEquals(0, after.exit(), after.err() + after.out());
    assertTrue(after.out().matches("(?s).*ROWS_IN_A_CSV\\s*\\n11\\b.*"), after.out());
    assertTrue(after.out().contains("Error: ") && after.out().contains("/data/b.csv"),
        after.out());
    assertFalse(after.out().contains("ROWS_IN_B_CSV\n"), after.out());
  }
}
