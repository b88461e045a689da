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

  /** What each of /dev/zero, a FIFO, an empty directory, a path under a missing one gives. */
  private record Bad(String device, String fifo, String directory, String missing) {}

  private static final String NOT_REGULAR = "is not a regular file";
  private static final Bad INPUT_FILE =
      new Bad(NOT_REGULAR, NOT_REGULAR, "is a directory, not a file", "does not exist");
  private static final Bad NEW_FILE =
      new Bad("already exists", "already exists", "already exists", "directory does not exist");

  @Test
  // a guard only: a FIFO that is opened blocks for ever
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void everyFileOptionRefusesADeviceAFifoADirectoryAndAMissingPathWithOneLine() throws Exception {
    Path fifo = dir.resolve("any.fifo");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    Path plat = dir.resolve("plat");
    assertEquals(0, CliResult.run("platform", "init", "--dir", plat.toString()).code());
    String v = vol.toString();
    String k = key.toString();
    String cas = "https://127.0.0.1:1";
    String ca = plat.resolve("platform-cert.pem").toString();
    String owner = dir.resolve("owner.pem").toString();
    assertEquals(0, CliResult.run("session", "identity", "--out", owner).code());
    Path policy = Files.writeString(dir.resolve("p.yaml"), "name: a\n");
    String m = "00".repeat(32);
    String jdk = System.getProperty("java.home");
    String notDir = "is not a directory";
    Bad volume = new Bad("(not a directory)", "(not a directory)", "no sconej volume here",
        "does not exist");
    Bad platform = new Bad(notDir, notDir, "platform-key.pem does not exist", "does not exist");
    Bad classPath = new Bad("is not a jar or a directory", "is not a jar or a directory", null,
        "does not exist");
    Bad javaHome = new Bad("is not a Java home", "is not a Java home", "is not a Java home",
        "is not a Java home");
    Object[][] cases = {
      {INPUT_FILE, "fs", "verify", v, "--key-file", "BAD"},
      {volume, "fs", "verify", "BAD", "--key-file", k},
      {volume, "fs", "cat", "BAD", "a/f.txt", "--key-file", k},
      {new Bad(notDir, notDir, null, notDir), "fs", "import", v, "BAD", "--key-file", k},
      {new Bad("not an empty directory", "not an empty directory", null, null), "fs", "export", v,
          "BAD", "--key-file", k},
      {new Bad("not an empty directory", "not an empty directory", null, "does not exist"), "fs",
          "init", "BAD", "--new-key", dir.resolve("k2").toString()},
      {NEW_FILE, "fs", "init", dir.resolve("v2").toString(), "--new-key", "BAD"},
      {NEW_FILE, "console", "keygen", "--out", "BAD"},
      {new Bad("refusing to overwrite", "refusing to overwrite", "refusing to overwrite",
          "the directory does not exist"), "session", "identity", "--out", "BAD"},
      {INPUT_FILE, "session", "create", "--file", "BAD", "--cas", cas, "--cas-ca", ca,
          "--identity", owner},
      {INPUT_FILE, "session", "update", "--file", policy.toString(), "--cas", cas, "--cas-ca",
          "BAD", "--identity", owner},
      {INPUT_FILE, "session", "show", "x", "--cas", cas, "--cas-ca", ca, "--identity", "BAD"},
      {INPUT_FILE, "console", "decrypt", "--key-file", "BAD", k},
      {new Bad(NOT_REGULAR, NOT_REGULAR, "is a directory", "no such file"), "console", "decrypt",
          "--key-file", k, "BAD"},
      {INPUT_FILE, "console", "decrypt", "--cas", cas, "--cas-ca", "BAD", "--identity", owner,
          "--config-id", "s/a", k},
      {new Bad(notDir, notDir, null, null), "cas", "serve", "--data", "BAD"},
      {INPUT_FILE, "cas", "serve", "--data", dir.resolve("cas").toString(), "--trust-platform",
          "BAD"},
      {INPUT_FILE, "cas", "serve", "--data", dir.resolve("cas").toString(), "--dcap-collateral",
          "BAD"},
      {new Bad(notDir, notDir, null, null), "platform", "init", "--dir", "BAD"},
      {platform, "platform", "show", "--dir", "BAD"},
      {platform, "attest", "--cas", cas, "--cas-ca", ca, "--config-id", "s/a", "--platform",
          "BAD", "--measurement", m},
      {INPUT_FILE, "attest", "--cas", cas, "--cas-ca", "BAD", "--config-id", "s/a", "--platform",
          plat.toString(), "--measurement", m},
      {new Bad(notDir, notDir, "not a Java home", notDir), "measure", "--java-home", "BAD",
          "--class-path", k},
      {new Bad("not a jar or a directory", "not a jar or a directory", null,
          "not a jar or a directory"), "measure", "--java-home", jdk, "--class-path", "BAD"},
      {classPath, "run", "--class-path", "BAD", "--print-command"},
      {javaHome, "run", "--class-path", k, "--java-home", "BAD", "--print-command"},
      {INPUT_FILE, "run", "--class-path", k, "--cas-ca", "BAD", "--print-measurement"},
    };
    int n = 0;
    for (Object[] c : cases) {
      Bad bad = (Bad) c[0];
      String[] values = {"/dev/zero", fifo.toString(), null, null};
      String[] expected = {bad.device(), bad.fifo(), bad.directory(), bad.missing()};
      for (int i = 0; i < 4; i++) {
        if (expected[i] == null) {
          continue;
        }
        n++;
        String value = switch (i) {
          case 2 -> Files.createDirectory(dir.resolve("empty-" + n)).toString();
          case 3 -> dir.resolve("no/such-" + n).toString();
          default -> values[i];
        };
        String[] args = new String[c.length - 1];
        for (int j = 1; j < c.length; j++) {
          args[j - 1] = c[j].equals("BAD") ? value : (String) c[j];
        }
        CliResult.run(args).fails(2, expected[i]);
      }
    }
  }

  @Test
  void aBadNumberInANumericOptionIsOneLineWithExit2() {
    String k = key.toString();
    String nv = dir.resolve("nv").toString();
    Path plat = dir.resolve("plat");
    assertEquals(0, CliResult.run("platform", "init", "--dir", plat.toString()).code());
    String ca = plat.resolve("platform-cert.pem").toString();
    String[][] cases = {
      {"'abc' is not an int", "fs", "init", nv, "--new-key", k + "2", "--chunk-size", "abc"},
      {"chunk size must be", "fs", "init", nv, "--new-key", k + "3", "--chunk-size", "-1"},
      {"chunk size must be", "fs", "init", nv, "--new-key", k + "4", "--chunk-size", "3"},
      {"is not an int", "fs", "init", nv, "--new-key", k + "5", "--chunk-size", "99999999999"},
      {"--days must be between 1 and 36500", "session", "identity", "--out", nv, "--days", "0"},
      {"--days", "session", "identity", "--out", nv, "--days", "99999999999999999999"},
      {"--days must be between 1 and 36500", "platform", "init", "--dir", nv, "--days", "36501"},
      {"--port must be between 0 and 65535", "cas", "serve", "--data", nv, "--port", "-1"},
      {"--port", "cas", "serve", "--data", nv, "--port", "99999999999"},
      {"ethreads must be between 1 and 1024", "run", "--class-path", k, "--ethreads", "0"},
      {"--ethreads must be a whole number", "run", "--class-path", k, "--ethreads", "1e3"},
      {"--hostcall slots: out of range", "run", "--class-path", k, "--hostcall", "slots=0"},
      {"--hostcall slots: not a whole number", "run", "--class-path", k, "--hostcall", "slots=x"},
      {"--hostcall timeoutMillis", "run", "--class-path", k, "--hostcall",
          "timeoutMillis=99999999999999999999"},
      {"--measurement must be 64 hex digits", "attest", "--cas", "127.0.0.1:1", "--cas-ca", ca,
          "--config-id", "s/a", "--platform", plat.toString(), "--measurement", "00"},
      {"volume tag", "fs", "verify", vol.toString(), "--key-file", k, "--tag", "zz"},
    };
    for (String[] c : cases) {
      List<String> args = new ArrayList<>(List.of(c).subList(1, c.length));
      if (args.get(0).equals("run")) {
        args.add("--print-command");
      }
      CliResult.run(args.toArray(String[]::new)).fails(2, c[0]);
    }
  }

  @Test
  // a guard only: a CAS that starts (or, before the fix, a port in use) never returns
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void casServeRefusesABindAddressThatIsNotOfThisMachineAndAPortInUse() throws Exception {
    String data = dir.resolve("cas").toString();
    for (String bind : List.of("", "999.1.1.1", "name.invalid", "127.0.0.1:8443", "::1x",
        "192.0.2.1")) {
      CliResult.run("cas", "serve", "--data", data, "--port", "0", "--bind", bind)
          .fails(2, "--bind");
    }
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      CliResult.run("cas", "serve", "--data", data, "--port",
          Integer.toString(taken.getLocalPort())).fails(1,
          "cannot listen on 127.0.0.1:" + taken.getLocalPort());
    }
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
