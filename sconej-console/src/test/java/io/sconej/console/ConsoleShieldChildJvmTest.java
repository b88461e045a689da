package io.sconej.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.console.Captures.Decoded;
import io.sconej.crypto.Hex;
import io.sconej.crypto.InsecureSecretAccess;
import io.sconej.crypto.SecretBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shield in a real child JVM: its stdout and stderr are captured to files and decrypted. */
class ConsoleShieldChildJvmTest {
  static final SecretBytes KEY = SecretBytes.random(32);
  @TempDir Path tmp;

  Process start(String mode) throws IOException {
    Path keyFile = tmp.resolve("console.key");
    if (!Files.exists(keyFile)) {
      Files.writeString(keyFile, Hex.encode(KEY.bytes(InsecureSecretAccess.get())));
    }
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            cp,
            ShieldedChild.class.getName(),
            keyFile.toString(),
            mode);
    return new ProcessBuilder(cmd)
        .redirectOutput(tmp.resolve(mode + ".out").toFile())
        .redirectError(tmp.resolve(mode + ".err").toFile())
        .start();
  }

  int finish(Process p) throws InterruptedException {
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("child JVM timed out");
    }
    return p.exitValue();
  }

  Decoded decode(String file) throws IOException {
    byte[] raw = Files.readAllBytes(tmp.resolve(file));
    assertFalse(
        new String(raw, StandardCharsets.ISO_8859_1).contains(ShieldedChild.MARKER),
        file + " holds plaintext");
    return Captures.decode(raw, KEY);
  }

  static String expectedOut() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < ShieldedChild.LINES; i++) {
      b.append("out line ").append(i).append(' ').append(ShieldedChild.MARKER).append('\n');
    }
    return b.toString();
  }

  @Test
  void cleanExitYieldsCompleteStreamsOnBothDescriptors() throws Exception {
    assertEquals(0, finish(start("clean")));
    Decoded out = decode("clean.out");
    assertNull(out.violation());
    assertEquals(expectedOut() + "no newline at the end", out.text());
    Decoded err = decode("clean.err");
    assertNull(err.violation());
    assertEquals("err line ünï " + ShieldedChild.MARKER + "\n", err.text());
  }

  @Test
  void aSecondInstallIsRefusedWithoutWritingASecondHeader() throws Exception {
    assertEquals(0, finish(start("twice")));
    byte[] raw = Files.readAllBytes(tmp.resolve("twice.out"));
    // The child also wrote plaintext through the original stream (which bypasses the shield),
    // between its records and the END record: cut it out, then the stream must verify.
    String plain = "plain " + ShieldedChild.MARKER + "\n";
    int at = new String(raw, StandardCharsets.ISO_8859_1).indexOf(plain);
    assertTrue(at > 0);
    byte[] shielded = new byte[raw.length - plain.length()];
    System.arraycopy(raw, 0, shielded, 0, at);
    System.arraycopy(raw, at + plain.length(), shielded, at, raw.length - at - plain.length());
    Decoded out = Captures.decode(shielded, KEY);
    assertNull(out.violation());
    assertEquals("second install refused\n" + expectedOut(), out.text());
  }

  @Test
  void onlyTheRequestedStreamIsShielded() throws Exception {
    assertEquals(0, finish(start("stdout-only")));
    assertEquals(
        "err line ünï " + ShieldedChild.MARKER + "\n",
        Files.readString(tmp.resolve("stdout-only.err")));
  }

  @Test
  void systemExitAndUncaughtExceptionsStillEndWithEndRecords() throws Exception {
    assertEquals(7, finish(start("exit")));
    assertNull(decode("exit.out").violation());
    assertEquals(1, finish(start("throw")));
    Decoded err = decode("throw.err");
    assertNull(err.violation());
    assertTrue(err.text().contains("IllegalStateException: child failure"), err.text());
  }

  /** Starts a hanging child, waits (bounded) until READY decrypts from its stdout. */
  Process startAndAwaitReady(String name) throws Exception {
    Process p = start("hang");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try {
      while (!Captures.decode(Files.readAllBytes(tmp.resolve("hang.out")), KEY)
          .text()
          .contains("READY\n")) {
        assertTrue(p.isAlive(), name + ": child exited early");
        assertTrue(System.nanoTime() < deadline, name + ": child never printed READY");
        Thread.sleep(50);
      }
    } catch (Exception | AssertionError e) {
      p.destroyForcibly();
      throw e;
    }
    return p;
  }

  @Test
  void sigkillLeavesATruncatedStreamWhoseCompleteRecordsAllDecrypt() throws Exception {
    Process p = startAndAwaitReady("SIGKILL");
    p.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no END record
    assertEquals(137, finish(p));
    Decoded out = decode("hang.out");
    assertEquals(ConsoleViolation.TRUNCATED, out.kind());
    assertEquals(ShieldedChild.LINES + 1, out.violation().sequence());
    assertEquals(expectedOut() + "READY\n", out.text());
    Decoded err = decode("hang.err");
    assertEquals(ConsoleViolation.TRUNCATED, err.kind());
    assertEquals("err line ünï " + ShieldedChild.MARKER + "\n", err.text());
  }

  @Test
  void sigtermRunsTheShutdownHookAndEndsTheStreamCleanly() throws Exception {
    Process p = startAndAwaitReady("SIGTERM");
    p.destroy(); // SIGTERM on Unix: shutdown hooks run
    assertEquals(143, finish(p));
    Decoded out = decode("hang.out");
    assertNull(out.violation());
    assertEquals(expectedOut() + "READY\n", out.text());
    assertNull(decode("hang.err").violation());
  }
}
