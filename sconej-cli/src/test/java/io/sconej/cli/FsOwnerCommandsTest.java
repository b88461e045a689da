package io.sconej.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sconej fs rm|backup|restore} with a key file, and the option rules they share with the
 * CAS-managed form (OwnerVolumeOpsTest in sconej-it runs that against a real CAS and enclave).
 */
class FsOwnerCommandsTest {
  @TempDir Path dir;

  static String last(CliResult r) {
    return r.out().strip().lines().reduce((a, b) -> b).orElseThrow();
  }

  CliResult ok(String... args) {
    CliResult r = CliResult.run(args);
    assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err());
    return r;
  }

  @Test
  void rmBackupAndApprovedRestoreWithAKeyFile() throws Exception {
    String vol = dir.resolve("vol").toString();
    String key = dir.resolve("key").toString();
    Path src = Files.createDirectories(dir.resolve("src/sub"));
    Files.writeString(src.resolve("a.txt"), "A");
    Files.writeString(dir.resolve("src/b.txt"), "B");
    ok("fs", "init", vol, "--new-key", key);
    String t1 = last(ok("fs", "import", vol, dir.resolve("src").toString(), "--key-file", key));

    String bak = dir.resolve("bak").toString();
    String backupTag = last(ok("fs", "backup", vol, bak, "--key-file", key));
    assertEquals(t1, backupTag);
    CliResult.run("fs", "backup", vol, bak, "--key-file", key).fails(2, "is not empty");
    ok("fs", "verify", bak, "--key-file", key, "--tag", t1);

    String t2 = last(ok("fs", "rm", vol, "b.txt", "--key-file", key));
    assertNotEquals(t1, t2);
    CliResult.run("fs", "cat", vol, "b.txt", "--key-file", key).fails(2, "no such file");
    CliResult.run("fs", "rm", vol, "b.txt", "--key-file", key).fails(2, "no such file");
    CliResult.run("fs", "rm", vol, "sub", "--key-file", key).fails(2, "not empty");
    CliResult.run("fs", "rm", vol, "/", "--key-file", key).fails(2, "volume root");
    CliResult.run("fs", "verify", vol, "--key-file", key, "--tag", t1).fails(3, "found tag");

    CliResult.run("fs", "restore", vol, bak, "--key-file", key).fails(2, "--approve TAG");
    CliResult.run("fs", "restore", vol, bak, "--key-file", key, "--approve", t2).fails(3,
        "backup " + bak);
    CliResult.run("fs", "restore", vol, bak, "--key-file", key, "--approve", "xyz").fails(2,
        "--approve");
    assertEquals(t1, last(ok("fs", "restore", vol, bak, "--key-file", key, "--approve", t1)));
    ok("fs", "verify", vol, "--key-file", key, "--tag", t1);
    assertEquals("B", ok("fs", "cat", vol, "b.txt", "--key-file", key).out());
    assertFalse(Files.exists(Path.of(vol + ".sconej-restore")));
    assertFalse(Files.exists(Path.of(vol + ".sconej-replaced")));
    // The backup is untouched and can be restored again; in place adopts the volume as it is.
    ok("fs", "verify", bak, "--key-file", key, "--tag", t1);
    assertEquals(t1, last(ok("fs", "restore", vol, vol, "--key-file", key, "--approve", t1)));
  }

  @Test
  void aTamperedBackupIsNotRestored() throws Exception {
    String vol = dir.resolve("vol").toString();
    String key = dir.resolve("key").toString();
    Files.createDirectories(dir.resolve("src"));
    Files.write(dir.resolve("src/f.bin"), new byte[20_000]);
    ok("fs", "init", vol, "--new-key", key);
    ok("fs", "import", vol, dir.resolve("src").toString(), "--key-file", key);
    String bak = dir.resolve("bak").toString();
    String tag = last(ok("fs", "backup", vol, bak, "--key-file", key));
    Path data;
    try (var s = Files.walk(Path.of(bak, "data"))) {
      data = s.filter(Files::isRegularFile).findFirst().orElseThrow();
    }
    byte[] b = Files.readAllBytes(data);
    for (int i = 100; i < b.length; i += 64) { // live and spare chunk slots alike
      b[i] ^= 1;
    }
    Files.write(data, b);
    CliResult.run("fs", "restore", vol, bak, "--key-file", key, "--approve", tag).fails(3,
        "chunk");
    ok("fs", "verify", vol, "--key-file", key, "--tag", tag);
  }

  @Test
  void optionRules() throws Exception {
    String v = Files.createDirectories(dir.resolve("v")).toString();
    CliResult.run("fs", "rm", v, "x").fails(2, "give --key-file KEYFILE, or --cas-volume");
    CliResult.run("fs", "ls", v, "--key-file", "k", "--cas-volume", "a/b/c").fails(2,
        "--key-file and --tag are for volumes without a CAS");
    CliResult.run("fs", "ls", v, "--key-file", "k", "--cas", "127.0.0.1:1").fails(2,
        "need --cas-volume");
    CliResult.run("fs", "ls", v, "--cas-volume", "a/b/c", "--cas", "127.0.0.1:1").fails(2,
        "--identity is required");
    CliResult.run("fs", "ls", v, "--cas-volume", "nope", "--identity", "x").fails(2,
        "--cas-volume needs SESSION/SERVICE/VOLUME");
    CliResult.run("fs", "ls", v, "--cas-volume", "a/b/c", "--identity", "x").fails(2,
        "--cas is required");
    assertTrue(CliResult.run("fs", "restore", "--help").out().contains("--approve"));
  }
}
