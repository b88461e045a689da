package io.sconej.bench.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Cost of a small durable write as a function of how many files the store holds: creates N files
 * of 100 bytes (spread over directories of at most 1000 files), syncs once, then times ops of
 * (open a random one of them, write 100 bytes at offset 0, force, close).
 *
 * <p>Creation commits every {@value #CREATE_BATCH} files: a sconej volume keeps the host file
 * descriptor of every file written since the last commit open until that commit, so creating
 * 100,000 files with a single sync at the end exceeds the process's descriptor limit (20,000 on
 * these machines). Only the timed ops matter here; creation time is reported for information.
 */
final class SmallSyncWorkload {
  /** Result for one file count; per-op figures in microseconds. */
  record Result(int files, long createNanos, int ops, double meanMicros, double medianMicros,
      double p90Micros) {}

  private static final int WRITE_BYTES = 100;
  private static final int FILES_PER_DIR = 1000;
  private static final int CREATE_BATCH = 1000;

  private SmallSyncWorkload() {}

  static String name(int i) {
    return "d" + (i / FILES_PER_DIR) + "/f" + i;
  }

  static Result run(BenchStore store, int files, int ops, long seed) throws IOException {
    byte[] content = new byte[WRITE_BYTES];
    long start = System.nanoTime();
    for (int i = 0; i < files; i++) {
      Arrays.fill(content, (byte) i);
      try (BenchFile f = store.open(name(i))) {
        f.write(ByteBuffer.wrap(content), 0);
      }
      if ((i + 1) % CREATE_BATCH == 0) {
        store.sync();
      }
    }
    store.sync();
    long createNanos = System.nanoTime() - start;

    SplittableRandom random = new SplittableRandom(seed);
    long[] nanos = new long[ops];
    for (int op = 0; op < ops; op++) {
      int i = random.nextInt(files);
      Arrays.fill(content, (byte) op);
      long t0 = System.nanoTime();
      try (BenchFile f = store.open(name(i))) {
        f.write(ByteBuffer.wrap(content), 0);
        f.force();
      }
      nanos[op] = System.nanoTime() - t0;
    }
    // Read one back so a broken store cannot pass silently.
    int last = new SplittableRandom(seed).nextInt(files);
    checkReadable(store, name(last));
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    double mean = Arrays.stream(nanos).average().orElse(0) / 1e3;
    return new Result(files, createNanos, ops, mean, sorted[ops / 2] / 1e3,
        sorted[(int) (ops * 0.9)] / 1e3);
  }

  private static void checkReadable(BenchStore store, String name) throws IOException {
    ByteBuffer bb = ByteBuffer.allocate(WRITE_BYTES + 1);
    try (BenchFile f = store.open(name)) {
      int n = f.read(bb, 0);
      if (n != WRITE_BYTES) {
        throw new IllegalStateException(store.label() + ": " + name + " has " + n + " bytes");
      }
    }
  }
}
