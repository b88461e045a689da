package io.sconej.console;

import static io.sconej.console.Captures.capture;
import static io.sconej.console.Captures.records;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.crypto.SecretBytes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Bytes written into a protected stream by something other than the shield (a thread dump, a
 * crash banner, the host): the reader skips them, reports offset and count, and goes on verifying
 * every later record; sconej's own start-up lines before the header are not a violation.
 */
class ConsoleInjectionTest {
  static final SecretBytes KEY = SecretBytes.random(32);
  static final String[] CHUNKS = {"zero\n", "one\n", "two\n", "three\n"};
  static final byte[] STREAM = capture(KEY, true, CHUNKS);
  static final String DUMP =
      "2026-12-04 23:00:00\nFull thread dump OpenJDK 64-Bit Server VM (25+36-LTS mixed mode):\n"
          + "\"main\" #1 prio=5 os_prio=0 cpu=1.2ms tid=0x00007f tid=0x0 nid=42 waiting\n";

  record Outcome(String text, List<ConsoleInjection> injections, ConsoleViolationException v) {}

  static Outcome read(byte[] s, Set<String> known) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ConsoleRecordReader r = ConsoleRecordReader.open(new ByteArrayInputStream(s), KEY, known);
    try {
      r.transferTo(out);
      return new Outcome(out.toString(StandardCharsets.UTF_8), r.injections(), null);
    } catch (ConsoleViolationException e) {
      return new Outcome(out.toString(StandardCharsets.UTF_8), r.injections(), e);
    }
  }

  /** {@code s} with {@code junk} inserted at byte {@code at}. */
  static byte[] insert(byte[] s, int at, byte[] junk) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(s, 0, at);
    b.write(junk, 0, junk.length);
    b.write(s, at, s.length - at);
    return b.toByteArray();
  }

  @Test
  void bytesInjectedAtAnyRecordBoundaryAreSkippedAndReportedAndLaterRecordsStillVerify()
      throws IOException {
    List<int[]> recs = records(STREAM);
    Random rnd = new Random(7);
    byte[] binary = new byte[3000];
    rnd.nextBytes(binary);
    byte[] zeros = new byte[100];
    byte[] big = DUMP.repeat(2000).getBytes(StandardCharsets.UTF_8); // ~300 KB, a big dump
    for (byte[] junk : List.of(DUMP.getBytes(StandardCharsets.UTF_8), binary, zeros, big)) {
      for (int i = 0; i < recs.size(); i++) {
        int at = recs.get(i)[0];
        Outcome o = read(insert(STREAM, at, junk), Set.of());
        String what = junk.length + " bytes before record " + i;
        assertNull(o.v(), what);
        assertEquals(String.join("", CHUNKS), o.text(), what);
        assertEquals(List.of(new ConsoleInjection(at, junk.length, i, false)), o.injections());
        assertTrue(o.injections().get(0).message().startsWith("console stream offset " + at
            + ": INJECTED: " + junk.length + " bytes before record " + i), what);
      }
    }
    byte[] twice = insert(insert(STREAM, recs.get(3)[0], binary), recs.get(1)[0], zeros);
    Outcome o = read(twice, Set.of());
    assertNull(o.v());
    assertEquals(2, o.injections().size());
    assertEquals(recs.get(3)[0] + zeros.length, o.injections().get(1).offset());
  }

  @Test
  void aCrashBannerAfterTheLastRecordIsInjectedThenTruncated() throws IOException {
    byte[] cut = capture(KEY, false, CHUNKS); // the process died: no END record
    byte[] banner = "#\n# A fatal error has been detected by the Java Runtime Environment:\n#\n"
        .getBytes(StandardCharsets.UTF_8);
    Outcome o = read(insert(cut, cut.length, banner), Set.of());
    assertEquals(String.join("", CHUNKS), o.text());
    assertEquals(ConsoleViolation.TRUNCATED, o.v().violation());
    assertEquals(4, o.v().sequence());
    assertEquals(List.of(new ConsoleInjection(cut.length, banner.length, 4, false)),
        o.injections());
  }

  @Test
  void injectionDoesNotHideADroppedReorderedOrAlteredRecord() throws IOException {
    List<int[]> recs = records(STREAM);
    byte[] junk = DUMP.getBytes(StandardCharsets.UTF_8);
    // Junk in place of record 2 (dropped), and junk before records 2 and 3 swapped.
    byte[] dropped = Captures.assemble(STREAM, 0, 1, 3, 4);
    byte[] swapped = Captures.assemble(STREAM, 0, 1, 3, 2, 4);
    byte[] altered = STREAM.clone();
    altered[recs.get(2)[0] + 20] ^= 1;
    for (byte[] s : List.of(dropped, swapped, altered)) {
      Outcome o = read(insert(s, recs.get(2)[0], junk), Set.of());
      assertEquals(ConsoleViolation.TAMPERED, o.v().violation());
      assertEquals(2, o.v().sequence());
      assertEquals("zero\none\n", o.text());
    }
  }

  @Test
  void sconejsOwnStartUpLinesBeforeTheHeaderAreSkippedWithoutAViolation() throws IOException {
    String warning = "sconej: WARNING: mode sim gives NO hardware protection";
    byte[] pre = (warning + "\n").getBytes(StandardCharsets.UTF_8);
    Outcome known = read(insert(STREAM, 0, pre), Set.of(warning));
    assertNull(known.v());
    assertEquals(String.join("", CHUNKS), known.text());
    assertEquals(List.of(new ConsoleInjection(0, pre.length, -1, true)), known.injections());
    assertFalse(known.injections().get(0).message().contains("INJECTED"));

    byte[] other = ("something else\n" + warning + "\n").getBytes(StandardCharsets.UTF_8);
    Outcome unknown = read(insert(STREAM, 0, other), Set.of(warning));
    assertNull(unknown.v());
    assertEquals(List.of(new ConsoleInjection(0, other.length, -1, false)), unknown.injections());
    ConsoleRecordReader r =
        ConsoleRecordReader.open(new ByteArrayInputStream(insert(STREAM, 0, other)), KEY);
    r.transferTo(new ByteArrayOutputStream());
    assertTrue(r.injected());

    // Without a line break right before the magic the bytes are not skipped: not a stream.
    byte[] glued = insert(STREAM, 0, "no newline".getBytes(StandardCharsets.UTF_8));
    ConsoleViolationException e = assertThrows(ConsoleViolationException.class,
        () -> ConsoleRecordReader.open(new ByteArrayInputStream(glued), KEY));
    assertEquals(ConsoleViolation.NOT_A_CONSOLE_STREAM, e.violation());
  }
}
