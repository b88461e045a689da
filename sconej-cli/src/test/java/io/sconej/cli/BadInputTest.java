package io.sconej.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input through the real CLI: each case gets its documented exit code and one line without
 * a Java class name (docs/cli.md, "Bad input").
 */
class BadInputTest {
  @TempDir Path dir;
  Path vol;
  Path key;

  @BeforeEach
  void volume() throws Exception {
    vol = dir.resolve("vol");
    key = dir.resolve("key");
    assertEquals(0, CliResult.run("fs", "init", vol.toString(), "--new-key", key.toString())
        .code());
    Path src = Files.createDirectories(dir.resolve("src/a"));
    Files.writeString(src.resolve("f.txt"), "hello");
    assertEquals(0, CliResult.run("fs", "import", vol.toString(), dir.resolve("src").toString(),
        "--key-file", key.toString()).code());
  }

  private CliResult fs(String... args) {
    List<String> l = new ArrayList<>(List.of("fs"));
    l.addAll(List.of(args));
    l.addAll(List.of("--key-file", key.toString()));
    return CliResult.run(l.toArray(String[]::new));
  }

  @Test
  void pathsOutsideTheVolumeAreBadInputAndSlashIsTheRoot() {
    fs("cat", vol.toString(), "../../etc/passwd").fails(2, "'..': ../../etc/passwd");
    fs("ls", vol.toString(), "a/../..").fails(2, "a/../..");
    fs("cat", vol.toString(), "./a/f.txt").fails(2, "./a/f.txt");
    fs("cat", vol.toString(), "/").fails(2, "/ is a directory");
    CliResult root = fs("ls", vol.toString(), "/");
    assertEquals(0, root.code(), root.err());
    assertEquals(fs("ls", vol.toString()).out(), root.out());
    assertTrue(root.out().contains("d            0  a/") || root.out().contains("  a/"),
        root.out());
    assertEquals("hello", fs("cat", vol.toString(), "/a/f.txt").out());
    assertEquals(fs("ls", vol.toString(), "a").out(), fs("ls", vol.toString(), "/a/").out());
  }

  @Test
  void aDeviceFifoDirectoryOrOversizedFileIsRefusedAsAKeyFile() throws Exception {
    String v = vol.toString();
    CliResult.run("fs", "verify", v, "--key-file", "/dev/zero").fails(2,
        "key file /dev/zero is not a regular file");
    CliResult.run("fs", "verify", v, "--key-file", dir.toString()).fails(2, "is a directory");
    CliResult.run("fs", "verify", v, "--key-file", dir.resolve("none").toString()).fails(2,
        "does not exist");
    Path big = sparse("big.key", CliFiles.KEY_FILE_MAX_BYTES + 1);
    CliResult.run("fs", "verify", v, "--key-file", big.toString()).fails(2,
        "larger than the limit of 1024 bytes");
  }

  @Test
  // a guard only: without the regular-file check, reading the FIFO never returns
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aFifoKeyFileIsRefusedInsteadOfHanging() throws Exception {
    Path fifo = dir.resolve("key.fifo");
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertEquals(0, p.waitFor());
    CliResult.run("fs", "verify", vol.toString(), "--key-file", fifo.toString()).fails(2,
        fifo + " is not a regular file");
    CliResult.run("console", "decrypt", "--key-file", fifo.toString(), key.toString()).fails(2,
        "not a regular file");
  }

  @Test
  void policyCertificateAndIdentityFilesHaveSizeLimits() throws Exception {
    Path policy = sparse("p.yaml", CliFiles.POLICY_MAX_BYTES + 1);
    List<String> remote = List.of("--cas", "https://127.0.0.1:1", "--cas-ca", "/dev/zero",
        "--identity", "/dev/zero");
    CliResult.run(with(List.of("session", "create", "--file", "/dev/zero"), remote)).fails(2,
        "policy file /dev/zero is not a regular file");
    CliResult.run(with(List.of("session", "create", "--file", policy.toString()), remote))
        .fails(2, "larger than the limit of 1048576 bytes");
    Path ok = Files.writeString(dir.resolve("ok.yaml"), "name: a\n");
    CliResult.run(with(List.of("session", "create", "--file", ok.toString()), remote)).fails(2,
        "--cas-ca /dev/zero is not a regular file");
    Path pem = sparse("ca.pem", CliFiles.PEM_MAX_BYTES + 1);
    CliResult.run("session", "show", "x", "--cas", "https://127.0.0.1:1", "--cas-ca",
        pem.toString(), "--identity", "/dev/zero").fails(2, "larger than the limit of 65536");
    CliResult.run("cas", "serve", "--data", dir.resolve("cas").toString(), "--trust-platform",
        "/dev/zero").fails(2, "--trust-platform /dev/zero is not a regular file");
    CliResult.run("cas", "serve", "--data", dir.resolve("cas").toString(), "--dcap-collateral",
        dir.toString()).fails(2, "is a directory");
  }

  @Test
  void aMalformedCasAddressIsBadInputNamingItInEveryCommand() {
    for (String bad : List.of("https://127.0.0.1:99999", "https://127.0.0.1:0",
        "http://127.0.0.1:8443", "https://127.0.0.1:8443/v1", "https://:8443", "127.0.0.1",
        "127.0.0.1:port")) {
      String ca = "/nonexistent-ca.pem";
      CliResult.run("session", "show", "x", "--cas", bad, "--cas-ca", ca, "--identity", ca)
          .fails(2, "not a CAS address: '" + bad + "'");
      CliResult.run("attest", "--cas", bad, "--cas-ca", ca, "--config-id", "s/a", "--platform",
          dir.toString(), "--measurement", "00".repeat(32)).fails(2, "'" + bad + "'");
      CliResult.run("console", "decrypt", "--cas", bad, "--cas-ca", ca, "--identity", ca,
          "--config-id", "s/a").fails(2, "'" + bad + "'");
      CliResult.run("run", "--cas", bad, "--class-path", key.toString(), "--print-command")
          .fails(2, "'" + bad + "'");
    }
  }

  @Test
  void aVolumeNameGivenTwiceIsRefused() {
    CliResult.run("run", "--class-path", key.toString(), "--volume", "data=" + dir.resolve("A"),
        "--volume", "data=" + dir.resolve("B"), "--print-command").fails(2,
        "--volume data given more than once");
    CliResult.run("run", "--class-path", key.toString(), "--volume", "data", "--print-command")
        .fails(2, "--volume needs NAME=HOST_DIR");
  }

  @Test
  void otherFilesAndDirectoriesOfTheWrongKindAreBadInput() throws Exception {
    Path file = Files.writeString(dir.resolve("plain.txt"), "x");
    fs("export", vol.toString(), file.toString()).fails(2, "is not an empty directory");
    fs("verify", file.toString()).fails(2, "not a directory");
    fs("verify", dir.resolve("src").toString()).fails(2, "no sconej volume here");
    CliResult.run("session", "identity", "--out", dir.resolve("no/such/dir/o.pem").toString())
        .fails(2, "the directory does not exist");
    CliResult.run("cas", "serve", "--data", file.toString()).fails(2, "is not a directory");
    CliResult.run("console", "decrypt", "--key-file", key.toString(), dir.toString()).fails(2,
        "is a directory");
    CliResult.run("platform", "show", "--dir", file.toString()).fails(2, "is not a directory");
    CliResult.run("attest", "--cas", "127.0.0.1:1", "--cas-ca", file.toString(), "--config-id",
        "s/a", "--platform", dir.toString(), "--measurement", "00".repeat(32)).fails(2,
        "--cas-ca");
  }

  private Path sparse(String name, long size) throws Exception {
    Path p = dir.resolve(name);
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.setLength(size);
    }
    return p;
  }

  private static String[] with(List<String> a, List<String> b) {
    List<String> l = new ArrayList<>(a);
    l.addAll(b);
    return l.toArray(String[]::new);
  }
}
