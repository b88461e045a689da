package io.sconej.console;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.crypto.SecretBytes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleRoundTripTest {
  static final SecretBytes KEY = SecretBytes.random(32);

  @Test
  void linesAndUnicodeRoundTripThroughAPrintStream() throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    ConsoleRecordWriter w = ConsoleRecordWriter.open(sink, KEY, ConsoleStreamKind.STDERR);
    PrintStream ps = new PrintStream(w, true, StandardCharsets.UTF_8);
    String text = "grüße, 世界, emoji 🔐, nul \0 byte\n";
    ps.print("prompt> ");
    ps.println("hello");
    ps.print(text);
    ps.close();
    assertFalse(ps.checkError());
    byte[] stream = sink.toByteArray();
    assertFalse(new String(stream, StandardCharsets.ISO_8859_1).contains("hello"));
    Captures.Decoded d = Captures.decode(stream, KEY);
    assertNull(d.violation());
    assertEquals("prompt> hello\n" + text, d.text());
    ConsoleRecordReader r = ConsoleRecordReader.open(new ByteArrayInputStream(stream), KEY);
    assertEquals(ConsoleStreamKind.STDERR, r.kind());
    assertArrayEquals(w.streamId(), r.streamId());
  }

  @Test
  void everyPrintCallIsOneRecordWithIncreasingSequenceAndOneEndRecord() throws IOException {
    byte[] stream = Captures.capture(KEY, true, "a", "bb", "ccc");
    List<int[]> recs = Captures.records(stream);
    assertEquals(4, recs.size());
    for (int i = 0; i < recs.size(); i++) {
      ByteBuffer b = ByteBuffer.wrap(stream, recs.get(i)[0], 13);
      assertEquals(recs.get(i)[1] - 13, b.getInt());
      assertEquals(i, b.getLong(), "sequence numbers count from 0");
      assertEquals(i == 3 ? 1 : 0, b.get(), "only the last record has the END flag");
    }
    assertEquals("abbccc", Captures.decode(stream, KEY).text());
  }

  @Test
  void emptyStreamWithOnlyAnEndRecordIsComplete() {
    Captures.Decoded d = Captures.decode(Captures.capture(KEY, true), KEY);
    assertNull(d.violation());
    assertEquals(0, d.plaintext().length);
  }

  @Test
  void largeWritesAreSplitIntoBoundedRecords() throws IOException {
    byte[] big = new byte[5 * 1024 * 1024 + 123];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31 + (i >>> 11));
    }
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (ConsoleRecordWriter w = ConsoleRecordWriter.open(sink, KEY, ConsoleStreamKind.STDOUT)) {
      w.write(big);
    }
    byte[] stream = sink.toByteArray();
    int max = ConsoleStreamDescriptor.DEFAULT_PAYLOAD_BYTES;
    assertEquals(big.length / max + 1, Captures.records(stream).size());
    assertArrayEquals(big, Captures.decode(stream, KEY).plaintext());
  }

  @Test
  void singleByteWritesCrossSmallRecordBoundaries() throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    StringBuilder expected = new StringBuilder();
    try (ConsoleRecordWriter w = ConsoleRecordWriter.open(sink, KEY, ConsoleStreamKind.STDOUT, 7)) {
      for (int i = 0; i < 10_000; i++) {
        char c = (char) ('a' + i % 26);
        expected.append(c);
        w.write(c);
        if (i % 97 == 0) {
          w.flush();
        }
      }
    }
    assertEquals(expected.toString(), Captures.decode(sink.toByteArray(), KEY).text());
  }

  @Test
  void concurrentWritersKeepEveryLineWholeAndInOrderPerThread() throws Exception {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    ConsoleRecordWriter w = ConsoleRecordWriter.open(sink, KEY, ConsoleStreamKind.STDOUT, 64);
    PrintStream ps = new PrintStream(w, true, StandardCharsets.UTF_8);
    int threads = 8;
    int lines = 400;
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Runnable job =
          () -> {
            for (int i = 0; i < lines; i++) {
              ps.println("thread " + id + " line " + i + " ünïcödé padding to cross records");
            }
          };
      ts.add(t % 2 == 0 ? Thread.ofVirtual().start(job) : Thread.ofPlatform().start(job));
    }
    for (Thread t : ts) {
      assertTrue(t.join(java.time.Duration.ofSeconds(60)), "writer thread did not finish");
    }
    ps.close();
    Captures.Decoded d = Captures.decode(sink.toByteArray(), KEY);
    assertNull(d.violation());
    Map<Integer, Integer> next = new HashMap<>();
    String[] got = d.text().split("\n");
    assertEquals(threads * lines, got.length);
    for (String line : got) {
      String[] f = line.split(" ");
      int id = Integer.parseInt(f[1]);
      int i = Integer.parseInt(f[3]);
      assertEquals(next.getOrDefault(id, 0), i, "per-thread order, whole lines: " + line);
      next.put(id, i + 1);
    }
  }

  @Test
  void eachStreamHasItsOwnIdAndCiphertext() {
    byte[] a = Captures.capture(KEY, true, "same text");
    byte[] b = Captures.capture(KEY, true, "same text");
    assertFalse(java.util.Arrays.equals(a, b));
    assertEquals(Captures.decode(a, KEY).text(), Captures.decode(b, KEY).text());
  }

  @Test
  void writesAfterCloseAreRefusedAndNeverReachTheSink() throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    ConsoleRecordWriter w = ConsoleRecordWriter.open(sink, KEY, ConsoleStreamKind.STDOUT);
    w.close();
    int size = sink.size();
    assertThrows(IOException.class, () -> w.write('x'));
    assertThrows(IOException.class, w::flush);
    w.close();
    assertEquals(size, sink.size());
  }

  @Test
  void aFailedSinkStopsTheWriterSoNoSequenceNumberIsReused() throws IOException {
    boolean[] fail = {false};
    ByteArrayOutputStream good = new ByteArrayOutputStream();
    OutputStream sink =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            if (fail[0]) {
              throw new IOException("host pipe closed");
            }
            good.write(b, off, len);
          }
        };
    ConsoleRecordWriter w = ConsoleRecordWriter.open(sink, KEY, ConsoleStreamKind.STDOUT);
    w.write('a');
    w.flush();
    fail[0] = true;
    w.write('b');
    assertThrows(IOException.class, w::flush);
    fail[0] = false;
    assertThrows(IOException.class, () -> w.write('c'));
    assertThrows(IOException.class, w::close);
    assertEquals(2, w.recordsWritten(), "the failed record's sequence number stays used");
    Captures.Decoded d = Captures.decode(good.toByteArray(), KEY);
    assertEquals("a", d.text());
    assertEquals(ConsoleViolation.TRUNCATED, d.kind());
  }

  @Test
  void refusesKeysThatAreNot32BytesAndBadPayloadSizes() {
    var sink = new ByteArrayOutputStream();
    assertThrows(
        IllegalArgumentException.class,
        () -> ConsoleRecordWriter.open(sink, SecretBytes.random(16), ConsoleStreamKind.STDOUT));
    assertThrows(
        IllegalArgumentException.class,
        () -> ConsoleRecordWriter.open(sink, KEY, ConsoleStreamKind.STDOUT, 0));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ConsoleRecordWriter.open(
                sink,
                KEY,
                ConsoleStreamKind.STDOUT,
                ConsoleStreamDescriptor.MAX_PAYLOAD_BYTES + 1));
  }
}
