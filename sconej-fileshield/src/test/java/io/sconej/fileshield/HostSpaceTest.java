package io.sconej.fileshield;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.crypto.SecretBytes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A volume behaves like a disk on the host: after a write-heavy workload and a sync, the host
 * bytes it occupies (allocated blocks, as {@code du} counts them, not apparent sizes) are at most
 * {@code 1.3 x logical bytes + OVERHEAD}, and deleted files leave no host files or directories.
 */
class HostSpaceTest {
  /**
   * The stated fixed overhead: header, journal (up to 4 MiB before it is folded into a checkpoint,
   * plus its 256 KiB preallocation step), directories.
   */
  static final long OVERHEAD = 5L << 20;
  /** Stated per-file overhead: a partly used block in each slot, and a data directory. */
  static final long PER_FILE = 12 << 10;

  static final Set<StandardOpenOption> RW =
      Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
  @TempDir Path tmp;
  final SecretBytes key = SecretBytes.random(32);

  /** Allocated bytes under {@code p} (the JDK has no st_blocks attribute). */
  static long hostBytes(Path p) throws Exception {
    Process pr = new ProcessBuilder("du", "-s", "-B1", p.toString()).redirectErrorStream(true)
        .start();
    String out = new String(pr.getInputStream().readAllBytes()).trim();
    assertEquals(0, pr.waitFor(), out);
    return Long.parseLong(out.split("\\s+")[0]);
  }

  static void assertDiskLike(Path dir, long logicalBytes, int files) throws Exception {
    long host = hostBytes(dir);
    long limit = (long) (1.3 * logicalBytes) + OVERHEAD + PER_FILE * files;
    assertTrue(host <= limit, "host bytes " + host + " > 1.3 x logical " + logicalBytes
        + " + overhead (" + limit + ")");
  }

  static byte[] random(SplittableRandom rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }

  static void write(Volume v, String path, byte[] data, long pos) throws IOException {
    try (VolumeFile f = v.open(path, RW)) {
      f.write(ByteBuffer.wrap(data), pos);
    }
  }

  static void truncate(Volume v, String path, long size) throws IOException {
    try (VolumeFile f = v.open(path, RW)) {
      f.truncate(size);
    }
  }

  @Test
  void aFileRewrittenManyTimesOccupiesItsSizeOnce() throws Exception {
    Path dir = tmp.resolve("vol");
    SplittableRandom rnd = new SplittableRandom(1);
    byte[] model = new byte[4 << 20];
    try (Volume v = Volume.create(dir, key, VolumeConfig.defaults())) {
      for (int round = 0; round < 8; round++) {
        if (round % 4 == 0) {
          model = random(rnd, model.length); // whole rewrite
          write(v, "db", model, 0);
        } else {
          for (int i = 0; i < 300; i++) { // page updates, as a database does
            byte[] page = random(rnd, 4096);
            int at = rnd.nextInt(model.length / 4096) * 4096;
            System.arraycopy(page, 0, model, at, page.length);
            write(v, "db", page, at);
          }
        }
        v.sync();
        assertDiskLike(dir, model.length, 1);
      }
    }
    try (Volume v = Volume.open(dir, key, VolumeConfig.defaults())) {
      assertArrayEquals(model, VolumeRoundTripTest.read(v, "db"));
      v.verify();
    }
  }

  @Test
  void aFileGrownThenTruncatedGivesItsTailBack() throws Exception {
    Path dir = tmp.resolve("vol");
    SplittableRandom rnd = new SplittableRandom(2);
    byte[] model = random(rnd, 24 << 20);
    try (Volume v = Volume.create(dir, key, VolumeConfig.defaults())) {
      write(v, "log", model, 0);
      v.sync();
      write(v, "log", Arrays.copyOf(model, 4 << 20), 0); // both slots of the head are used
      v.sync();
      truncate(v, "log", 1_000_003);
      v.sync();
      model = Arrays.copyOf(model, 1_000_003);
      assertDiskLike(dir, model.length, 1);
      Path data = v.hostDataFile("log").orElseThrow();
      assertTrue(Files.size(data) <= 2 << 20, "host file size " + Files.size(data));
      truncate(v, "log", 0); // shrink to nothing, grow again without a commit in between
      byte[] tail = random(rnd, 300_000);
      write(v, "log", tail, 5_000_000);
      model = new byte[5_300_000];
      System.arraycopy(tail, 0, model, 5_000_000, tail.length);
      v.sync();
      assertDiskLike(dir, model.length, 1);
    }
    try (Volume v = Volume.open(dir, key, VolumeConfig.defaults())) {
      assertArrayEquals(model, VolumeRoundTripTest.read(v, "log"));
      v.verify();
    }
  }

  @Test
  void manyFilesCreatedThenDeletedLeaveNothingBehind() throws Exception {
    Path dir = tmp.resolve("vol");
    SplittableRandom rnd = new SplittableRandom(3);
    try (Volume v = Volume.create(dir, key, VolumeConfig.defaults())) {
      v.createDirectory("keep");
      write(v, "keep/one", random(rnd, 50_000), 0);
      for (int round = 0; round < 3; round++) {
        v.createDirectory("tmp");
        for (int i = 0; i < 400; i++) {
          write(v, "tmp/f" + i, random(rnd, rnd.nextInt(1, 40_000)), 0);
          if (i % 100 == 0) {
            v.sync();
          }
        }
        v.sync();
        for (int i = 0; i < 400; i++) {
          v.delete("tmp/f" + i);
        }
        v.delete("tmp");
        v.sync();
      }
      assertDiskLike(dir, 50_000, 1);
      Path kept = v.hostDataFile("keep/one").orElseThrow();
      Path data = dir.resolve("data");
      try (Stream<Path> s = Files.walk(data)) {
        List<String> left = s.map(p -> data.relativize(p).toString()).sorted().toList();
        assertEquals(List.of("", data.relativize(kept.getParent()).toString(),
            data.relativize(kept).toString()), left.size() > 5 ? left.subList(0, 5) : left,
            "only the live file and its directory are left, of " + left.size() + " entries");
      }
    }
  }

  @Test
  void randomChurnMatchesAModelAcrossReopensWhileSpaceIsReclaimed() throws Exception {
    Path dir = tmp.resolve("vol");
    VolumeConfig cfg = VolumeConfig.builder().chunkSizeBytes(512).build();
    SplittableRandom rnd = new SplittableRandom(6);
    byte[] model = new byte[0];
    Volume.create(dir, key, cfg).close();
    for (int session = 0; session < 6; session++) {
      try (Volume v = Volume.open(dir, key, cfg)) {
        if (session > 0) {
          assertArrayEquals(model, VolumeRoundTripTest.read(v, "f"), "session " + session);
        }
        for (int i = 0; i < 400; i++) {
          int op = rnd.nextInt(10);
          if (op < 7) { // page-sized updates, scattered: the case that gathers extents
            int at = rnd.nextInt(0, model.length + 2048) / 512 * 512;
            byte[] d = random(rnd, rnd.nextInt(1, 1500));
            write(v, "f", d, at);
            if (at + d.length > model.length) {
              model = Arrays.copyOf(model, at + d.length);
            }
            System.arraycopy(d, 0, model, at, d.length);
          } else if (op == 7) {
            int t = rnd.nextInt(0, model.length + 1);
            truncate(v, "f", t);
            model = Arrays.copyOf(model, t);
          } else {
            v.sync();
            assertArrayEquals(model, VolumeRoundTripTest.read(v, "f"), "after a sync");
          }
        }
        v.verify();
      }
    }
    try (Volume v = Volume.open(dir, key, cfg)) {
      assertArrayEquals(model, VolumeRoundTripTest.read(v, "f"));
      v.verify();
    }
    assertDiskLike(dir, model.length, 1);
  }

  @Test
  void garbageBelowTheBatchThresholdIsPunchedAtClose() throws Exception {
    Path dir = tmp.resolve("vol");
    SplittableRandom rnd = new SplittableRandom(5);
    Path data;
    try (Volume v = Volume.create(dir, key, VolumeConfig.defaults())) {
      write(v, "f", random(rnd, 8 << 20), 0);
      v.sync();
      write(v, "f", random(rnd, 1 << 20), 0); // an eighth rewritten: kept until close
      v.sync();
      data = v.hostDataFile("f").orElseThrow();
      assertTrue(hostBytes(data) >= (9 << 20), "garbage is batched, not punched at each commit");
    }
    assertTrue(hostBytes(data) <= (8 << 20) + (64 << 10), "punched at close: " + hostBytes(data));
  }

  @Test
  void emptyDataDirectoriesLeftByAnOlderVersionGoAtTheNextOpen() throws Exception {
    Path dir = tmp.resolve("vol");
    try (Volume v = Volume.create(dir, key, VolumeConfig.defaults())) {
      write(v, "a", new byte[10], 0);
    }
    Files.createDirectory(dir.resolve("data/zz")); // as an older version left them
    try (Volume v = Volume.open(dir, key, VolumeConfig.defaults())) {
      Path a = v.hostDataFile("a").orElseThrow();
      try (Stream<Path> s = Files.list(dir.resolve("data"))) {
        assertEquals(List.of(a.getParent()), s.toList());
      }
    }
  }

  @Test
  void uncommittedRewritesAfterAReclaimStillFallBackToTheLastCommit() throws Exception {
    Path dir = tmp.resolve("vol");
    SplittableRandom rnd = new SplittableRandom(4);
    byte[] first = random(rnd, 1 << 20);
    byte[] second = random(rnd, 1 << 20);
    VolumeTag committed;
    Path crashed = tmp.resolve("crashed");
    try (Volume v = Volume.create(dir, key, VolumeConfig.defaults())) {
      write(v, "f", first, 0);
      v.sync();
      write(v, "f", second, 0); // into the other slots; the first ones are freed at the commit
      committed = v.sync();
      write(v, "f", random(rnd, 1 << 20), 0); // into the freed slots, never committed
      truncate(v, "f", 1000);
      copyTree(dir, crashed); // what a crash now leaves on disk
      v.failClosed("test: simulated crash");
    }
    try (Volume v = Volume.open(crashed, key,
        VolumeConfig.builder().expectedTags(Set.of(committed)).build())) {
      assertArrayEquals(second, VolumeRoundTripTest.read(v, "f"));
      v.verify();
    }
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path q = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(q);
        } else {
          Files.copy(p, q);
        }
      }
    }
  }
}
