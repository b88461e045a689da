package io.sconej.it.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.it.run.SconejHarness.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Owners operate a CAS-managed volume without the application (issue 11 item 5), with the real
 * {@code bin/sconej}, a real CAS over TLS on loopback and a real enclave ({@link VolumeListApp}
 * under {@code sconej run}): {@code fs rm} deletes a file the next start no longer sees; a backup
 * put back by the host is refused as a rollback, {@code fs restore} refuses without the owner's
 * approval and with a wrong one, and with it the CAS's tag is reset (recorded in the session's
 * history) and the application starts on the backup's state; an identity the access policy does
 * not name is refused, a reader may list but not delete; and the volume key appears in no file
 * on the host and in no output.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OwnerVolumeOpsTest {
  static final String SESSION = "it/ops";
  @TempDir static Path work;
  SconejHarness h;
  Path plat;
  Path jar;
  String measurement;
  String readerFp;
  final List<Result> outputs = new ArrayList<>();

  @BeforeAll
  void setUp() throws Exception {
    h = new SconejHarness(work);
    plat = h.startSimCas();
    jar = SconejHarness.jarOf(work.resolve("app.jar"), VolumeListApp.class);
    measurement = h.measurement(jar.toString());
    Result reader = h.sconej("session", "identity", "--out", "reader.pem");
    assertEquals(0, reader.exit(), reader.err());
    readerFp = reader.out().lines().filter(l -> l.startsWith("fingerprint: ")).findFirst()
        .orElseThrow().substring(13).strip();
    assertEquals(0, h.sconej("session", "identity", "--out", "stranger.pem").exit());
    h.createSession("ops.yaml", """
        name: %s
        version: 1
        services:
          - name: app
            attestation:
              measurements: [%s]
              modes: [sim]
            command: [io.sconej.it.run.VolumeListApp, /data, /seed]
            volumes:
              - name: data
                path: /data
                kind: encrypted
              - name: seed
                path: /seed
                kind: authenticated
            console: unprotected
        access_policy:
          read: [%s]
        security:
          tolerate: [simulation]
        """.formatted(SESSION, measurement, readerFp));
  }

  @AfterAll
  void tearDown() {
    h.close();
  }

  Result run(Path vol) throws Exception {
    return keep(h.sconej("run", "--cas", "127.0.0.1:" + h.casPort, "--cas-ca", "cas/cas-ca.pem",
        "--config-id", SESSION + "/app", "--class-path", jar.toString(), "--volume",
        "data=" + vol, "--volume", "seed=" + work.resolve("seed"), "--platform",
        plat.toString()));
  }

  /** {@code sconej fs ARGS... --cas-volume it/ops/app/data} with the CAS options as {@code who}. */
  Result fs(String who, String... args) throws Exception {
    return fsOn("data", who, args);
  }

  /** {@code sconej fs ARGS...} on the session volume {@code volume} as {@code who}. */
  Result fsOn(String volume, String who, String... args) throws Exception {
    List<String> a = new ArrayList<>(List.of("fs"));
    a.addAll(List.of(args));
    a.addAll(List.of("--cas-volume", SESSION + "/app/" + volume, "--cas", h.casUrl(), "--cas-ca",
        "cas/cas-ca.pem", "--identity", who));
    // The tool's temporary directory is under the test's directory, so the key search covers it.
    Files.createDirectories(work.resolve("tool-tmp"));
    return keep(h.sconej(java.util.Map.of("SCONEJ_JAVA_OPTS",
        "-Djava.io.tmpdir=" + work.resolve("tool-tmp")), a.toArray(String[]::new)));
  }

  Result keep(Result r) {
    outputs.add(r);
    return r;
  }

  static String lastLine(Result r) {
    return r.out().strip().lines().reduce((x, y) -> y).orElseThrow();
  }

  @Test
  void ownerOperatesTheVolumeWithoutTheApplication() throws Exception {
    Path vol = Files.createDirectories(work.resolve("vol"));
    // Before the first start the owner seeds one volume (the CAS holds no tag for it yet): the
    // tool creates it with the CAS's key and kind; the enclave then mounts it with that tag.
    Path seed = Files.createDirectories(work.resolve("seed"));
    Path seedSrc = Files.createDirectories(work.resolve("seed-src"));
    Files.writeString(seedSrc.resolve("seeded.txt"), "SEEDED");
    assertEquals(2, fsOn("seed", "owner.pem", "ls", seed.toString()).exit(),
        "no tag yet: nothing to check freshness against");
    Result seeded = fsOn("seed", "owner.pem", "import", seed.toString(), seedSrc.toString());
    assertEquals(0, seeded.exit(), seeded.err());
    Result r1 = run(vol);
    assertEquals(0, r1.exit(), r1.err() + r1.out());
    assertTrue(r1.out().contains("FILES=[counter.txt, keep.txt, notes.txt]"), r1.out());
    assertTrue(r1.out().contains("LIST /seed=[seeded.txt]"), r1.out());

    // list and verify (against the CAS's tag), then the owner deletes a file; the enclave no
    // longer sees it.
    Result ls = fs("owner.pem", "ls", vol.toString());
    assertEquals(0, ls.exit(), ls.err());
    assertTrue(ls.out().contains("notes.txt"), ls.out());
    Result verified = fs("owner.pem", "verify", vol.toString());
    assertEquals(0, verified.exit(), verified.err());
    Result rm = fs("owner.pem", "rm", vol.toString(), "notes.txt");
    assertEquals(0, rm.exit(), rm.err());
    assertNotEquals(lastLine(verified), lastLine(rm), "rm commits a new state");
    Result r2 = run(vol);
    assertEquals(0, r2.exit(), r2.err() + r2.out());
    assertTrue(r2.out().contains("FILES=[counter.txt, keep.txt]"), r2.out());
    assertTrue(r2.out().contains("COUNTER=2"), r2.out());

    // Access: a stranger gets the 404 of a missing session, a reader may list but not delete.
    Result stranger = fs("stranger.pem", "ls", vol.toString());
    assertEquals(4, stranger.exit(), stranger.err());
    assertTrue(stranger.err().contains("(404): no such session, or access denied"),
        stranger.err());
    assertEquals(0, fs("reader.pem", "ls", vol.toString()).exit());
    Result readerRm = fs("reader.pem", "rm", vol.toString(), "keep.txt");
    assertEquals(4, readerRm.exit(), readerRm.err());
    assertTrue(readerRm.err().contains("(403): operation 'rm' changes the volume"),
        readerRm.err());

    // Backup (state: counter 2), a later write (counter 3), then the host puts the backup back.
    Path bak = work.resolve("bak");
    Result backup = fs("owner.pem", "backup", vol.toString(), bak.toString());
    assertEquals(0, backup.exit(), backup.err());
    String backupTag = lastLine(backup);
    Result r3 = run(vol);
    assertTrue(r3.out().contains("COUNTER=3"), r3.out());
    Path hostCopy = work.resolve("host-copy");
    copyTree(bak, hostCopy);
    Result rolledBack = run(hostCopy);
    assertEquals(3, rolledBack.exit(), "without the owner's approval a backup is a rollback: "
        + rolledBack.err() + rolledBack.out());
    assertFalse(rolledBack.out().contains("COUNTER="), rolledBack.out());

    // restore refuses without approval and with another tag; with the backup's tag it resets.
    Result noApproval = fs("owner.pem", "restore", vol.toString(), bak.toString());
    assertEquals(2, noApproval.exit(), noApproval.err());
    assertTrue(noApproval.err().contains("--approve TAG"), noApproval.err());
    Result wrong = fs("owner.pem", "restore", vol.toString(), bak.toString(), "--approve",
        lastLine(rm));
    assertEquals(3, wrong.exit(), wrong.err());
    assertEquals(4, fs("reader.pem", "restore", vol.toString(), bak.toString(), "--approve",
        backupTag).exit());
    Result restored = fs("owner.pem", "restore", vol.toString(), bak.toString(), "--approve",
        backupTag);
    assertEquals(0, restored.exit(), restored.err());
    assertEquals(backupTag, lastLine(restored));
    Result r4 = run(vol);
    assertEquals(0, r4.exit(), r4.err() + r4.out());
    assertTrue(r4.out().contains("COUNTER=3"), "the backup's state (2) bumped: " + r4.out());

    Result history = keep(h.sconej("session", "history", SESSION, "--cas", h.casUrl(),
        "--cas-ca", "cas/cas-ca.pem", "--identity", "owner.pem"));
    assertEquals(0, history.exit(), history.err());
    assertTrue(history.out().lines().anyMatch(l -> l.startsWith("volume app/data"
        + " tag-reset-pending restore by ") && l.endsWith(" new " + backupTag)), history.out());
    assertTrue(history.out().lines().anyMatch(l -> l.startsWith("volume app/data backup backup")
        && l.endsWith(" new " + backupTag)), history.out());
    assertTrue(history.out().lines().anyMatch(l -> l.contains(" tag-commit rm by ")),
        history.out());

    // export, import: the plaintext goes where the owner says; the enclave sees the import.
    Path out = work.resolve("exported");
    Result export = fs("owner.pem", "export", vol.toString(), out.toString());
    assertEquals(0, export.exit(), export.err());
    assertEquals("3", Files.readString(out.resolve("counter.txt")));
    Path in = Files.createDirectories(work.resolve("import-src"));
    Files.writeString(in.resolve("imported.txt"), "IMPORTED");
    Result imported = fs("owner.pem", "import", vol.toString(), in.toString());
    assertEquals(0, imported.exit(), imported.err());
    Result r5 = run(vol);
    assertEquals(0, r5.exit(), r5.err() + r5.out());
    assertTrue(r5.out().contains("FILES=[counter.txt, imported.txt, keep.txt]"), r5.out());

    assertNoVolumeKeyOnTheHost();
  }

  /**
   * The key, as the attested service receives it, in hex (both cases), base64 and raw, is in no
   * file under the test's directory (volumes, backup, export, CAS store, the tool's temporary
   * directory, the captured output of every command) and in no output this test kept.
   */
  void assertNoVolumeKeyOnTheHost() throws Exception {
    Result att = h.sconej("attest", "--cas", h.casUrl(), "--cas-ca", "cas/cas-ca.pem",
        "--config-id", SESSION + "/app", "--platform", plat.toString(), "--measurement",
        measurement, "--show-secrets");
    assertEquals(0, att.exit(), att.err());
    Files.delete(att.outFile()); // the one place the test itself printed the key
    List<String> lines = att.out().lines().filter(l -> l.startsWith("volume: ")).toList();
    assertEquals(2, lines.size(), att.out());
    for (String line : lines) {
      assertKeyNowhere(line.split(" key ")[1].split(" ")[0]);
    }
  }

  void assertKeyNowhere(String hex) throws Exception {
    byte[] key = HexFormat.of().parseHex(hex);
    List<byte[]> needles = List.of(hex.getBytes(), hex.toUpperCase().getBytes(),
        Base64.getEncoder().encode(key), Base64.getUrlEncoder().withoutPadding().encode(key), key);
    for (Result r : outputs) {
      for (String s : List.of(r.out(), r.err())) {
        assertFalse(s.contains(hex) || s.contains(hex.toUpperCase())
            || s.contains(Base64.getEncoder().encodeToString(key)), "key in an output: " + s);
      }
    }
    List<Path> files;
    try (Stream<Path> s = Files.walk(work)) {
      files = s.filter(Files::isRegularFile).toList();
    }
    assertTrue(files.size() > 20, files.toString());
    for (Path f : files) {
      byte[] b = Files.readAllBytes(f);
      for (byte[] n : needles) {
        assertFalse(indexOf(b, n) >= 0, "volume key bytes in " + f);
      }
    }
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static void copyTree(Path src, Path dest) throws Exception {
    try (Stream<Path> s = Files.walk(src)) {
      for (Path p : s.toList()) {
        Path t = dest.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }
}
