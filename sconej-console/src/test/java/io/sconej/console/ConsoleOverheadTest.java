package io.sconej.console;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.crypto.SecretBytes;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Cost of the shield: 100k {@code println} calls into /dev/null, plain (a PrintStream like the
 * JVM's System.out) against shielded, alternating rounds, medians. Run with {@code bin/build test
 * -Plong -pl sconej-console -am -Dtest=ConsoleOverheadTest
 * -Dsurefire.failIfNoSpecifiedTests=false}. No timing assertion: the numbers go to the report.
 */
@Tag("long")
class ConsoleOverheadTest {
  static final int LINES = 100_000;
  static final int ROUNDS = 7;
  static final String TEXT = " 2026-01-01T00:00:00Z INFO request handled in 3 ms, status 200 ok";

  /** Counts the bytes that reach the sink. */
  static final class Counting extends OutputStream {
    final OutputStream sink;
    long bytes;

    Counting(OutputStream sink) {
      this.sink = sink;
    }

    @Override
    public void write(int b) throws IOException {
      sink.write(b);
      bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      sink.write(b, off, len);
      bytes += len;
    }
  }

  static long print(PrintStream ps) {
    long t0 = System.nanoTime();
    for (int i = 0; i < LINES; i++) {
      ps.println("line " + i + TEXT);
    }
    ps.flush();
    return System.nanoTime() - t0;
  }

  @Test
  void printHundredThousandLinesPlainVersusShielded() throws IOException {
    SecretBytes key = SecretBytes.random(32);
    long[] plain = new long[ROUNDS];
    long[] shielded = new long[ROUNDS];
    long plainBytes = 0;
    long shieldedBytes = 0;
    for (int r = 0; r < ROUNDS; r++) {
      try (FileOutputStream devNull = new FileOutputStream("/dev/null")) {
        Counting c = new Counting(devNull);
        PrintStream ps =
            new PrintStream(new BufferedOutputStream(c, 8192), true, StandardCharsets.UTF_8);
        plain[r] = print(ps);
        plainBytes = c.bytes;
      }
      try (FileOutputStream devNull = new FileOutputStream("/dev/null")) {
        Counting c = new Counting(devNull);
        ConsoleRecordWriter w = ConsoleRecordWriter.open(c, key, ConsoleStreamKind.STDOUT);
        PrintStream ps = new PrintStream(w, true, StandardCharsets.UTF_8);
        shielded[r] = print(ps);
        ps.close();
        shieldedBytes = c.bytes;
      }
    }
    Arrays.sort(plain);
    Arrays.sort(shielded);
    long p = plain[ROUNDS / 2];
    long s = shielded[ROUNDS / 2];
    System.out.printf(
        "console overhead: %d lines; plain median %.1f ms (%.0f ns/line), shielded median %.1f ms"
            + " (%.0f ns/line), ratio %.2f; bytes plain %d, shielded %d (+%.1f%%)%n",
        LINES,
        p / 1e6,
        (double) p / LINES,
        s / 1e6,
        (double) s / LINES,
        (double) s / p,
        plainBytes,
        shieldedBytes,
        100.0 * (shieldedBytes - plainBytes) / plainBytes);
    assertTrue(shieldedBytes > plainBytes);
  }
}
