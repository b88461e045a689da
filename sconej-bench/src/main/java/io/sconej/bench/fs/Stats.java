package io.sconej.bench.fs;

import java.util.Arrays;

/** Median and minimum of repeated timings, in nanoseconds. */
record Stats(long medianNanos, long minNanos, int samples) {

  static Stats of(long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    int n = s.length;
    long median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    return new Stats(median, s[0], n);
  }

  /** Throughput in MB/s (10^6 bytes) of bytes moved in the median time. */
  double mbPerSecond(long bytes) {
    return bytes / (medianNanos / 1e9) / 1e6;
  }

  /** Throughput in MB/s of bytes moved in the best time. */
  double bestMbPerSecond(long bytes) {
    return bytes / (minNanos / 1e9) / 1e6;
  }

  /** Operations per second in the median time. */
  double opsPerSecond(long ops) {
    return ops / (medianNanos / 1e9);
  }

  /** Operations per second in the best time. */
  double bestOpsPerSecond(long ops) {
    return ops / (minNanos / 1e9);
  }
}
