package io.sconej.console;

import static io.sconej.console.Captures.assemble;
import static io.sconej.console.Captures.capture;
import static io.sconej.console.Captures.decode;
import static io.sconej.console.Captures.records;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.console.Captures.Decoded;
import io.sconej.crypto.SecretBytes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every way the host can alter a captured stream, each asserting the precise violation, the record
 * position, and that no plaintext of the violated record (or later ones) is delivered.
 */
class ConsoleAttackTest {
  static final SecretBytes KEY = SecretBytes.random(32);
  static final String[] CHUNKS = {"zero\n", "one\n", "two\n", "three\n"};
  static final byte[] STREAM = capture(KEY, true, CHUNKS); // records 0..3 data, 4 END
  static final int END = 4;

  /** The plaintext of the records before {@code index}. */
  static String before(int index) {
    return String.join("", Arrays.copyOfRange(CHUNKS, 0, Math.min(index, CHUNKS.length)));
  }

  static void assertViolation(Decoded d, ConsoleViolation v, long sequence, String what) {
    assertEquals(v, d.kind(), what);
    assertEquals(sequence, d.violation().sequence(), what);
    assertEquals(before((int) Math.max(sequence, 0)), d.text(), what + ": delivered plaintext");
  }

  @Test
  void intactStreamVerifies() {
    Decoded d = decode(STREAM, KEY);
    assertNull(d.violation());
    assertEquals(before(4), d.text());
  }

  @Test
  void flippingAnyBitOfAnyByteIsDetectedWithThePreciseViolation() {
    List<int[]> recs = records(STREAM);
    for (int pos = 0; pos < STREAM.length; pos++) {
      for (int mask : new int[] {0x01, 0x80}) {
        byte[] s = STREAM.clone();
        s[pos] ^= (byte) mask;
        Decoded d = decode(s, KEY);
        String what = "flip 0x" + Integer.toHexString(mask) + " at byte " + pos;
        if (pos < ConsoleStreamDescriptor.KIND_OFFSET) {
          assertViolation(d, ConsoleViolation.NOT_A_CONSOLE_STREAM, -1, what);
        } else if (pos < ConsoleStreamDescriptor.HEADER_BYTES) {
          assertViolation(d, ConsoleViolation.WRONG_KEY, -1, what);
        } else {
          int rec = 0;
          while (pos >= recs.get(rec)[0] + recs.get(rec)[1]) {
            rec++;
          }
          boolean lengthField = pos < recs.get(rec)[0] + 4;
          ConsoleViolation v = d.kind();
          assertTrue(
              v == ConsoleViolation.TAMPERED
                  || (lengthField
                      && v == ConsoleViolation.TRUNCATED
                      && d.violation().getMessage().contains("or its length field was altered")),
              what + ": " + d.violation());
          assertViolation(d, v, rec, what);
        }
      }
    }
  }

  @Test
  void truncationAtEveryByteIsDetected() {
    List<int[]> recs = records(STREAM);
    for (int len = 0; len < STREAM.length; len++) {
      Decoded d = decode(Arrays.copyOf(STREAM, len), KEY);
      int complete = 0;
      while (complete < recs.size() && recs.get(complete)[0] + recs.get(complete)[1] <= len) {
        complete++;
      }
      long seq = len < ConsoleStreamDescriptor.HEADER_BYTES ? -1 : complete;
      assertViolation(d, ConsoleViolation.TRUNCATED, seq, "truncated to " + len + " bytes");
    }
  }

  @Test
  void truncationAtEveryRecordBoundaryNamesTheMissingRecord() {
    for (int keep = 0; keep <= END; keep++) {
      int[] idx = new int[keep];
      Arrays.setAll(idx, i -> i);
      Decoded d = decode(assemble(STREAM, idx), KEY);
      assertViolation(d, ConsoleViolation.TRUNCATED, keep, "records kept: " + keep);
      assertTrue(d.violation().getMessage().contains("truncated, or the process died"));
    }
  }

  @Test
  void droppingAnyRecordIsDetected() {
    for (int drop = 0; drop < END; drop++) {
      final int dropped = drop;
      int[] idx =
          java.util.stream.IntStream.rangeClosed(0, END).filter(i -> i != dropped).toArray();
      assertViolation(decode(assemble(STREAM, idx), KEY), ConsoleViolation.DROPPED, drop, "drop");
    }
    Decoded noEnd = decode(assemble(STREAM, 0, 1, 2, 3), KEY);
    assertViolation(noEnd, ConsoleViolation.TRUNCATED, END, "END record dropped");
  }

  @Test
  void swappingAnyTwoRecordsIsDetectedAsReordering() {
    for (int i = 0; i <= END; i++) {
      for (int j = i + 1; j <= END; j++) {
        int[] idx = {0, 1, 2, 3, 4};
        idx[i] = j;
        idx[j] = i;
        Decoded d = decode(assemble(STREAM, idx), KEY);
        assertViolation(d, ConsoleViolation.REORDERED, i, "swap " + i + " and " + j);
      }
    }
  }

  @Test
  void duplicatingAnyRecordAnywhereIsDetected() {
    for (int dup = 0; dup < END; dup++) {
      for (int at = dup + 1; at <= END; at++) {
        int[] idx = new int[END + 2];
        for (int k = 0, src = 0; k < idx.length; k++) {
          idx[k] = k == at ? dup : src++;
        }
        Decoded d = decode(assemble(STREAM, idx), KEY);
        assertViolation(d, ConsoleViolation.DUPLICATED, at, "copy of " + dup + " at " + at);
      }
    }
    for (int dup = 0; dup <= END; dup++) {
      Decoded d = decode(assemble(STREAM, 0, 1, 2, 3, 4, dup), KEY);
      assertEquals(ConsoleViolation.DUPLICATED, d.kind(), "copy of " + dup + " after the end");
      assertEquals(END + 1, d.violation().sequence());
      assertEquals(before(4), d.text());
    }
  }

  @Test
  void recordsSplicedFromAnotherStreamFailAuthentication() {
    byte[] other = capture(KEY, true, "ZERO\n", "ONE\n", "TWO\n", "THREE\n");
    List<int[]> o = records(other);
    List<int[]> mine = records(STREAM);
    for (int i = 0; i <= END; i++) {
      byte[] s = STREAM.clone();
      // Our records before i, the other stream's record i (same key, other id), ours after.
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      b.write(s, 0, mine.get(i)[0]);
      b.write(other, o.get(i)[0], o.get(i)[1]);
      int after = mine.get(i)[0] + mine.get(i)[1];
      b.write(s, after, s.length - after);
      assertViolation(decode(b.toByteArray(), KEY), ConsoleViolation.TAMPERED, i, "splice " + i);
    }
    byte[] mixed = STREAM.clone();
    System.arraycopy(other, 0, mixed, 0, ConsoleStreamDescriptor.HEADER_BYTES);
    assertViolation(decode(mixed, KEY), ConsoleViolation.TAMPERED, 0, "other stream's header");
  }

  @Test
  void wrongKeyIsReportedBeforeAnyPlaintext() {
    assertViolation(decode(STREAM, SecretBytes.random(32)), ConsoleViolation.WRONG_KEY, -1, "key");
  }

  @Test
  void switchingTheStreamKindIsDetected() {
    byte[] s = STREAM.clone();
    s[ConsoleStreamDescriptor.KIND_OFFSET] = (byte) ConsoleStreamKind.STDERR.code();
    assertViolation(decode(s, KEY), ConsoleViolation.WRONG_KEY, -1, "stdout relabelled stderr");
  }

  @Test
  void otherInputIsNotAConsoleStream() {
    byte[] text =
        "hello world, this is plain text and not a console stream at all\n"
            .getBytes(StandardCharsets.US_ASCII);
    assertViolation(decode(text, KEY), ConsoleViolation.NOT_A_CONSOLE_STREAM, -1, "text");
    assertViolation(decode(new byte[0], KEY), ConsoleViolation.TRUNCATED, -1, "empty input");
  }

  @Test
  void bytesAppendedAfterTheEndRecordAreDetected() {
    for (byte[] tail : List.of(new byte[] {0}, new byte[40], "garbage after".getBytes())) {
      byte[] s = Arrays.copyOf(STREAM, STREAM.length + tail.length);
      System.arraycopy(tail, 0, s, STREAM.length, tail.length);
      Decoded d = decode(s, KEY);
      assertEquals(ConsoleViolation.TAMPERED, d.kind());
      assertEquals(END + 1, d.violation().sequence());
      assertEquals(before(4), d.text());
    }
  }

  @Test
  void aRecordMovedBeyondTheLookaheadReadsAsDropped() {
    int n = ConsoleRecordReader.LOOKAHEAD_RECORDS + 10;
    String[] chunks = new String[n];
    Arrays.fill(chunks, "x");
    byte[] s = capture(KEY, true, chunks);
    int[] idx = new int[n + 1];
    for (int k = 0; k < n; k++) {
      idx[k] = k + 1;
    }
    idx[n] = 0;
    Decoded far = decode(assemble(s, idx), KEY);
    assertEquals(ConsoleViolation.DROPPED, far.kind());
    assertEquals(0, far.violation().sequence());
  }

  @Test
  void afterAViolationTheReaderRefusesEveryFurtherRead() throws Exception {
    byte[] s = assemble(STREAM, 0, 2, 1, 3, 4);
    ConsoleRecordReader r = ConsoleRecordReader.open(new ByteArrayInputStream(s), KEY);
    assertEquals("zero\n", new String(r.next().orElseThrow().payload(), StandardCharsets.UTF_8));
    ConsoleViolationException first = assertThrows(ConsoleViolationException.class, r::next);
    assertSame(first, assertThrows(ConsoleViolationException.class, r::next));
    assertTrue(
        first.getMessage().startsWith("console stream record 1: REORDERED"), first.getMessage());
  }
}
