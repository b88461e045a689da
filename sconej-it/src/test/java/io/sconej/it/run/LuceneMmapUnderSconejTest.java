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
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apache Lucene (unmodified, from Maven Central) with its default, memory-mapping directory under
 * {@code sconej run}, its index in an encrypted volume: it indexes and searches in one start, and
 * searches again in the next (session version 2). MMapDirectory maps every index file with its
 * own arena, which supports only {@code scope()} and {@code close()}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LuceneMmapUnderSconejTest {
  static final String MARKER = "sconejmmapmarker";
  @TempDir static Path work;
  SconejHarness h;
  Path plat;
  String cp;
  String measurement;

  @BeforeAll
  void setUp() throws Exception {
    h = new SconejHarness(work);
    plat = h.startSimCas();
    Path lucene =
        Path.of(FSDirectory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path app = SconejHarness.jarOf(work.resolve("lucene-app.jar"), LuceneMmapApp.class);
    cp = lucene + File.pathSeparator + app;
    measurement = h.measurement(cp);
  }

  @AfterAll
  void tearDown() {
    h.close();
  }

  String policy(int version, String predecessor, String mode) {
    return """
        name: it/lucene
        version: %d
        %s
        services:
          - name: search
            attestation:
              measurements: [%s]
              modes: [sim]
            command: [%s, %s, /data/index, %s]
            volumes:
              - name: data
                path: /data
                kind: encrypted
            console: unprotected
        security:
          tolerate: [simulation]
        """.formatted(version, predecessor == null ? "" : "predecessor: " + predecessor,
        measurement, LuceneMmapApp.class.getName(), mode, MARKER);
  }

  Result run(Path vol) throws Exception {
    return h.sconej("run", "--cas", "127.0.0.1:" + h.casPort, "--cas-ca", "cas/cas-ca.pem",
        "--config-id", "it/lucene/search", "--class-path", cp, "--volume", "data=" + vol,
        "--platform", plat.toString());
  }

  static void assertSearched(Result r) {
    assertEquals(0, r.exit(), r.err() + r.out());
    assertTrue(r.out().contains("directory MMapDirectory"), r.out());
    assertTrue(r.out().contains("hits " + LuceneMmapApp.DOCS), r.out());
    assertTrue(r.out().contains("first " + MARKER + " document number 7"), r.out());
  }

  @Test
  void lucenesDefaultMmapDirectoryIndexesAndSearchesInAVolume() throws Exception {
    String v1 = h.createSession("lucene-v1.yaml", policy(1, null, "index")).out().lines()
        .filter(l -> l.startsWith("hash: ")).findFirst().orElseThrow().substring(6);
    Path vol = Files.createDirectories(work.resolve("vol"));
    assertSearched(run(vol));
    Path f = work.resolve("lucene-v2.yaml");
    Files.writeString(f, policy(2, v1, "search"));
    Result up = h.sconej("session", "update", "it/lucene", "--cas", h.casUrl(), "--cas-ca",
        "cas/cas-ca.pem", "--identity", "owner.pem", "--file", f.toString());
    assertEquals(0, up.exit(), up.err());
    assertSearched(run(vol));
    try (Stream<Path> s = Files.walk(vol)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String c = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
        assertFalse(c.contains(MARKER), "plaintext in " + p);
      }
    }
  }
}
