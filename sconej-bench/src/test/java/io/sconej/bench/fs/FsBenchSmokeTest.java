package io.sconej.bench.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file-system benchmark end to end at a small size (16 MiB, 1000 files, no gocryptfs): checks
 * that every phase runs and that every byte read back is right. No timing assertions.
 */
class FsBenchSmokeTest {

  @Test
  void smokeRunReadsEverythingBackAndRendersEveryTable(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    FsBenchReport r =
        FsBench.run(FsBenchConfig.smoke(dir), new PrintStream(progress, true, "UTF-8"));

    assertEquals(1, r.timings().get(FsBenchReport.VOLUME).size());
    assertEquals(1, r.timings().get(FsBenchReport.PLAIN).size());
    assertEquals(4, r.small().size());
    assertEquals(1000, r.small().get(2).files());
    String md = r.toMarkdown("test");
    assertTrue(md.contains("| sequential write + force (MB/s) |"), md);
    assertTrue(md.contains("volume / gocryptfs"), md);
    assertTrue(md.contains("Volume cost with 1,000 files / with 100 files"), md);
    assertTrue(progress.toString(StandardCharsets.UTF_8).contains("AES-GCM limit"));
  }

  @Test
  void harnessCatchesWrongBytes(@TempDir Path dir) throws IOException {
    // The check the benchmark relies on: a store returning other bytes must make it fail.
    Pattern pattern = new Pattern(1);
    IoWorkload work = new IoWorkload(pattern, 2 << 20, 1 << 20, 10);
    try (ChannelStore store = new ChannelStore("plain", dir)) {
      work.run(store, false, 1);
      try (BenchFile f = store.open("bench.dat")) {
        f.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), (1 << 20) + 5);
      }
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> work.verifyAll(store));
      assertTrue(e.getMessage().contains("wrong byte"), e.getMessage());
    }
  }

  @Test
  void patternBlocksDiffer() {
    Pattern pattern = new Pattern(7);
    byte[] a = new byte[16];
    byte[] b = new byte[16];
    pattern.fill(a, 0, 0, 16);
    pattern.fill(b, 0, Pattern.BLOCK_BYTES, 16);
    assertTrue(!java.util.Arrays.equals(a, b));
    byte[] split = new byte[16];
    pattern.fill(split, 0, Pattern.BLOCK_BYTES - 4, 16);
    byte[] tail = new byte[12];
    pattern.fill(tail, 0, Pattern.BLOCK_BYTES, 12);
    assertEquals(ByteBuffer.wrap(tail), ByteBuffer.wrap(split, 4, 12));
  }
}
