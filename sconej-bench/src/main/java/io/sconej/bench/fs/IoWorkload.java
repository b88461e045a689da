package io.sconej.bench.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * The file workloads, identical for every system: sequential write (then force) and read of one
 * file in application-sized pieces, and random aligned 4 KiB reads and writes over it. Every byte
 * read is checked against {@link Pattern}; random writes rewrite the pattern's own bytes, so the
 * file stays checkable (no system under test deduplicates or skips identical writes).
 */
final class IoWorkload {
  /** Phase timings of one repetition, in nanoseconds. */
  record Timings(
      long seqWrite, long seqReadCold, long seqReadWarm, long randRead, long randWrite,
      boolean cacheDropped) {}

  private static final String FILE = "bench.dat";
  private static final int IO = FsBenchConfig.RANDOM_IO_BYTES;

  private final Pattern pattern;
  private final long fileSizeBytes;
  private final int appBytes;
  private final int randomOps;
  private final byte[] buf;
  private final byte[] scratch;

  IoWorkload(Pattern pattern, long fileSizeBytes, int appBytes, int randomOps) {
    this.pattern = pattern;
    this.fileSizeBytes = fileSizeBytes;
    this.appBytes = appBytes;
    this.randomOps = randomOps;
    this.buf = new byte[appBytes];
    this.scratch = new byte[appBytes];
  }

  /** Runs all phases once on a fresh file of the store. */
  Timings run(BenchStore store, boolean dropCaches, long seed) throws IOException {
    store.deleteIfExists(FILE);
    store.sync();
    long seqWrite = timeSeqWrite(store);
    boolean dropped = dropCaches && CacheDropper.drop();
    long cold = timeSeqRead(store);
    long warm = timeSeqRead(store);
    long randRead = timeRandom(store, false, seed);
    long randWrite = timeRandom(store, true, seed + 1);
    return new Timings(seqWrite, cold, warm, randRead, randWrite, dropped);
  }

  private long timeSeqWrite(BenchStore store) throws IOException {
    ByteBuffer bb = ByteBuffer.wrap(buf);
    long start = System.nanoTime();
    try (BenchFile f = store.open(FILE)) {
      for (long pos = 0; pos < fileSizeBytes; pos += appBytes) {
        pattern.fill(buf, 0, pos, appBytes);
        bb.clear();
        f.write(bb, pos);
      }
      f.force();
    }
    return System.nanoTime() - start;
  }

  private long timeSeqRead(BenchStore store) throws IOException {
    ByteBuffer bb = ByteBuffer.wrap(buf);
    long start = System.nanoTime();
    try (BenchFile f = store.open(FILE)) {
      for (long pos = 0; pos < fileSizeBytes; pos += appBytes) {
        bb.clear();
        int n = f.read(bb, pos);
        if (n != appBytes) {
          throw new IllegalStateException(store.label() + ": short read at " + pos + ": " + n);
        }
        pattern.check(buf, scratch, pos, appBytes, store.label() + " sequential read");
      }
    }
    return System.nanoTime() - start;
  }

  private long timeRandom(BenchStore store, boolean write, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    long slots = fileSizeBytes / IO;
    ByteBuffer bb = ByteBuffer.wrap(buf, 0, IO);
    long start = System.nanoTime();
    try (BenchFile f = store.open(FILE)) {
      for (int i = 0; i < randomOps; i++) {
        long pos = random.nextLong(slots) * IO;
        bb.clear().limit(IO);
        if (write) {
          pattern.fill(buf, 0, pos, IO);
          f.write(bb, pos);
        } else {
          int n = f.read(bb, pos);
          if (n != IO) {
            throw new IllegalStateException(store.label() + ": short read at " + pos + ": " + n);
          }
          pattern.check(buf, scratch, pos, IO, store.label() + " random read");
        }
      }
      if (write) {
        f.force();
      }
    }
    return System.nanoTime() - start;
  }

  /** Reads the whole file back and checks every byte (after the random writes). */
  void verifyAll(BenchStore store) throws IOException {
    timeSeqRead(store);
  }
}
