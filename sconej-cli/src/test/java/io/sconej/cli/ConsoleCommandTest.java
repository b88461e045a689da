package io.sconej.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.attestation.TeeMode;
import io.sconej.attestation.sim.SimEvidence;
import io.sconej.attestation.sim.SimPlatform;
import io.sconej.cas.CasConfig;
import io.sconej.cas.CasServer;
import io.sconej.cas.client.CasClient;
import io.sconej.console.ConsoleRecordWriter;
import io.sconej.console.ConsoleStreamDescriptor;
import io.sconej.console.ConsoleStreamKind;
import io.sconej.crypto.Hex;
import io.sconej.crypto.InsecureSecretAccess;
import io.sconej.crypto.SecretBytes;
import io.sconej.verifier.sim.SimEvidenceVerifier;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sconej console} in-process: exit codes, one-line errors, plaintext up to a violation. */
class ConsoleCommandTest {
  static final String M = "42".repeat(32);
  @TempDir Path tmp;

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  Path keyFile() throws IOException {
    Path k = tmp.resolve("console.key");
    assertEquals(0, run("console", "keygen", "--out", k.toString()).exit());
    return k;
  }

  static SecretBytes read(Path keyFile) throws IOException {
    return SecretBytes.copyOf(Hex.decode(Files.readString(keyFile), "key"));
  }

  /** A stream of three one-line records plus END (if {@code close}). */
  static byte[] capture(SecretBytes key, ConsoleStreamKind kind, boolean close) throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    ConsoleRecordWriter w = ConsoleRecordWriter.open(sink, key, kind);
    for (String s : new String[] {"first ü\n", "second\n", "third\n"}) {
      w.write(s.getBytes(StandardCharsets.UTF_8));
      w.flush();
    }
    if (close) {
      w.close();
    }
    return sink.toByteArray();
  }

  @Test
  void keygenWritesA0600HexKeyAndNeverOverwrites() throws IOException {
    Path k = keyFile();
    assertEquals(64, Files.readString(k).strip().length());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(k)));
    Run again = run("console", "keygen", "--out", k.toString());
    assertEquals(ExitCodes.USAGE, again.exit());
    assertTrue(again.err().contains("already exists"), again.err());
  }

  @Test
  void decryptsACompleteStreamFromAFileAndFromStdin() throws IOException {
    Path k = keyFile();
    byte[] stream = capture(read(k), ConsoleStreamKind.STDOUT, true);
    Path f = Files.write(tmp.resolve("out.bin"), stream);
    Run r = run("console", "decrypt", "--key-file", k.toString(), f.toString());
    assertEquals(new Run(0, "first ü\nsecond\nthird\n", ""), r);
    InputStream stdin = System.in;
    try {
      System.setIn(new ByteArrayInputStream(stream));
      assertEquals(r, run("console", "decrypt", "--key-file", k.toString()));
    } finally {
      System.setIn(stdin);
    }
    Run kindOk =
        run("console", "decrypt", "--key-file", k.toString(), "--expect-kind", "stdout", f + "");
    assertEquals(0, kindOk.exit());
  }

  @Test
  void truncatedStreamExits3AfterWritingEveryCompleteRecord() throws IOException {
    Path k = keyFile();
    Path f = Files.write(tmp.resolve("out.bin"), capture(read(k), ConsoleStreamKind.STDOUT, false));
    Run r = run("console", "decrypt", "--key-file", k.toString(), f.toString());
    assertEquals(ExitCodes.VIOLATION, r.exit());
    assertEquals("first ü\nsecond\nthird\n", r.out());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains("record 3: TRUNCATED"), r.err());
  }

  @Test
  void tamperedRecordExits3WithoutItsPlaintext() throws IOException {
    Path k = keyFile();
    byte[] s = capture(read(k), ConsoleStreamKind.STDOUT, true);
    s[s.length - 40] ^= 1; // inside the third record
    Path f = Files.write(tmp.resolve("out.bin"), s);
    Run r = run("console", "decrypt", "--key-file", k.toString(), f.toString());
    assertEquals(ExitCodes.VIOLATION, r.exit());
    assertEquals("first ü\nsecond\n", r.out());
    assertTrue(r.err().contains("record 2: TAMPERED"), r.err());
  }

  @Test
  void injectedBytesAreReportedWithOffsetAndCountAndExit3AfterAllLaterRecords() throws IOException {
    Path k = keyFile();
    byte[] s = capture(read(k), ConsoleStreamKind.STDERR, true);
    int at = ConsoleStreamDescriptor.HEADER_BYTES + 13 + "first ü\n".getBytes(UTF_8).length + 16;
    byte[] dump = "Full thread dump OpenJDK 64-Bit Server VM:\n\"main\" #1\n".getBytes(UTF_8);
    byte[] injected = new byte[s.length + dump.length];
    System.arraycopy(s, 0, injected, 0, at);
    System.arraycopy(dump, 0, injected, at, dump.length);
    System.arraycopy(s, at, injected, at + dump.length, s.length - at);
    Path f = Files.write(tmp.resolve("err.bin"), injected);
    Run r = run("console", "decrypt", "--key-file", k.toString(), f.toString());
    assertEquals(ExitCodes.VIOLATION, r.exit());
    assertEquals("first ü\nsecond\nthird\n", r.out());
    List<String> lines = r.err().lines().toList();
    assertEquals(2, lines.size(), r.err());
    assertEquals("sconej console: " + f + ": console stream offset " + at + ": INJECTED: "
        + dump.length + " bytes before record 1 are not part of the stream (e.g. a JVM thread"
        + " dump or crash report, or written by the host), skipped", lines.get(0));
    assertFalse(r.err().contains("thread dump OpenJDK"), "the injected bytes are not shown");
  }

  @Test
  void theSimWarningBeforeTheHeaderIsANoteNotAViolation() throws IOException {
    Path k = keyFile();
    byte[] s = capture(read(k), ConsoleStreamKind.STDERR, true);
    byte[] warning = ("sconej: " + TeeMode.SIM.protectionStatement() + "\n").getBytes(UTF_8);
    byte[] both = new byte[warning.length + s.length];
    System.arraycopy(warning, 0, both, 0, warning.length);
    System.arraycopy(s, 0, both, warning.length, s.length);
    Path f = Files.write(tmp.resolve("e"), both);
    Run r = run("console", "decrypt", "--key-file", k + "", f + "");
    assertEquals(ExitCodes.OK, r.exit(), r.err());
    assertEquals("first ü\nsecond\nthird\n", r.out());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("sconej console: note: "), r.err());
    both[3] = 'X'; // no longer sconej's own line
    Run other = run("console", "decrypt", "--key-file", k + "",
        Files.write(tmp.resolve("e2"), both) + "");
    assertEquals(ExitCodes.VIOLATION, other.exit(), other.err());
    assertEquals("first ü\nsecond\nthird\n", other.out());
    assertTrue(other.err().contains("offset 0: INJECTED: " + warning.length + " bytes before the"
        + " stream header"), other.err());
  }

  @Test
  void wrongKeyWrongKindAndNonStreamsExit3() throws IOException {
    Path k = keyFile();
    byte[] s = capture(SecretBytes.random(32), ConsoleStreamKind.STDERR, true);
    Path f = Files.write(tmp.resolve("err.bin"), s);
    Run wrong = run("console", "decrypt", "--key-file", k.toString(), f.toString());
    assertEquals(new Run(3, "", wrong.err()), wrong);
    assertTrue(wrong.err().contains("header: WRONG_KEY"), wrong.err());

    Path g = Files.write(tmp.resolve("err2.bin"), capture(read(k), ConsoleStreamKind.STDERR, true));
    Run kind = run("console", "decrypt", "--key-file", k + "", "--expect-kind", "stdout", g + "");
    assertEquals(3, kind.exit());
    assertTrue(kind.err().contains("stream is stderr, expected stdout"), kind.err());
    assertEquals("", kind.out());

    Path text = Files.writeString(tmp.resolve("plain.txt"), "just some text\n");
    Run notStream = run("console", "decrypt", "--key-file", k.toString(), text.toString());
    assertEquals(3, notStream.exit());
    assertTrue(notStream.err().contains("NOT_A_CONSOLE_STREAM"), notStream.err());
  }

  @Test
  void usageErrorsExit2() throws IOException {
    Path k = keyFile();
    assertEquals(2, run("console").exit());
    assertEquals(2, run("console", "decrypt").exit());
    assertEquals(2, run("console", "decrypt", "--key-file", k + "", tmp + "/missing").exit());
    assertEquals(2, run("console", "decrypt", "--key-file", tmp + "/nokey", k + "").exit());
    assertEquals(2, run("console", "decrypt", "--key-file", k + "", "--expect-kind", "x").exit());
    assertEquals(2, run("console", "frobnicate").exit());
    assertEquals(2, run("console", "decrypt", "--key-file", k + "", "a", "b").exit());
    assertTrue(
        Arrays.asList(run("--help").out().split("\n")).stream()
            .anyMatch(l -> l.strip().startsWith("console")));
  }

  @Test
  void decryptsWithTheKeyFetchedFromTheCasAsOwnerAndRefusesStrangers() throws Exception {
    SimPlatform platform = SimPlatform.init(tmp.resolve("platform"));
    Path data = tmp.resolve("cas");
    try (CasServer cas =
        CasServer.start(
            CasConfig.builder(data)
                .port(0)
                .verifier(TeeMode.SIM, SimEvidenceVerifier.create(List.of(platform.certificate())))
                .build())) {
      Path owner = tmp.resolve("owner.pem");
      assertEquals(0, run("session", "identity", "--out", owner.toString()).exit());
      String url = "https://127.0.0.1:" + cas.port();
      String ca = data.resolve(CasServer.CA_FILE).toString();
      Path policy =
          Files.writeString(
              tmp.resolve("p.yaml"),
              "name: acme/app\nversion: 1\nservices:\n  - name: web\n    attestation:\n"
                  + "      measurements: ["
                  + M
                  + "]\n      modes: [sim]\nsecurity:\n  tolerate: [simulation]\n");
      Run created =
          run("session", "create", "--file", policy + "", "--cas", url, "--cas-ca", ca,
              "--identity", owner + "");
      assertEquals(0, created.exit(), created.err());
      SecretBytes released;
      try (CasClient c = CasClient.create("127.0.0.1", cas.port(), cas.caCertificate())) {
        released =
            c.attest(
                    "acme/app/web",
                    rd ->
                        SimEvidence.create(
                            platform, Hex.decode(M, "m"), SimEvidence.NO_SIGNER, rd))
                .consoleKey()
                .orElseThrow();
      }
      Path f = Files.write(tmp.resolve("out.bin"), capture(released, ConsoleStreamKind.STDOUT, true));
      Run ok =
          run("console", "decrypt", "--cas", url, "--cas-ca", ca, "--identity", owner + "",
              "--config-id", "acme/app/web", f + "");
      assertEquals(new Run(0, "first ü\nsecond\nthird\n", ""), ok);
      String keyHex = Hex.encode(released.bytes(InsecureSecretAccess.get()));
      assertFalse(ok.out().contains(keyHex) || ok.err().contains(keyHex));

      Path stranger = tmp.resolve("stranger.pem");
      assertEquals(0, run("session", "identity", "--out", stranger.toString()).exit());
      Run refused =
          run("console", "decrypt", "--cas", url, "--cas-ca", ca, "--identity", stranger + "",
              "--config-id", "acme/app/web", f + "");
      assertEquals(new Run(ExitCodes.PEER, "", refused.err()), refused);
      assertEquals(1, refused.err().lines().count(), refused.err());
      Run noService =
          run("console", "decrypt", "--cas", url, "--cas-ca", ca, "--identity", owner + "",
              "--config-id", "acme/app/nope", f + "");
      assertEquals(ExitCodes.PEER, noService.exit());
      assertEquals(
          2,
          run("console", "decrypt", "--cas", url, "--cas-ca", ca, "--identity", owner + "",
                  "--config-id", "nosuch", f + "")
              .exit());
      assertEquals(
          2,
          run("console", "decrypt", "--cas", url, "--cas-ca", ca, "--identity", owner + "",
                  "--config-id", "acme/app/web", "--key-file", owner + "", f + "")
              .exit());
      assertEquals(
          2, run("console", "decrypt", "--cas", url, "--cas-ca", ca, "--config-id", "a/b").exit());
    }
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort(); // nothing listens there once closed
    }
    Run down =
        run("console", "decrypt", "--cas", "https://127.0.0.1:" + port, "--cas-ca",
            data.resolve(CasServer.CA_FILE) + "", "--identity", tmp.resolve("owner.pem") + "",
            "--config-id", "acme/app/web");
    assertEquals(ExitCodes.PEER, down.exit(), down.err());
  }
}
