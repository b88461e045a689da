package io.sconej.bench.hostcalls;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs an operation in a closed loop on N virtual threads: a warm-up, then a measured interval
 * in which every completed operation is counted and its latency sampled. Bounded in time.
 */
public final class ClosedLoop {
  /** One operation of a workload (one or a few host calls). */
  @FunctionalInterface
  public interface Op {
    void run(SplittableRandom rnd) throws IOException;
  }

  /**
   * What one run measured.
   *
   * @param ops operations completed in the measured interval
   * @param seconds length of the measured interval
   * @param p50Nanos median latency of one operation
   * @param p99Nanos 99th percentile latency
   * @param errors operations that threw
   */
  public record Result(long ops, double seconds, long p50Nanos, long p99Nanos, long errors) {
    /** Operations per second. */
    public double opsPerSecond() {
      return ops / seconds;
    }
  }

  private static final int SAMPLES_PER_THREAD = 4096;
  private static final int PHASE_WARMUP = 0;
  private static final int PHASE_MEASURE = 1;
  private static final int PHASE_STOP = 2;

  private ClosedLoop() {}

  /** Runs {@code op} on {@code threads} virtual threads; each gets its own random stream. */
  public static Result run(int threads, Duration warmup, Duration measure, long seed, Op op)
      throws InterruptedException {
    AtomicInteger phase = new AtomicInteger(PHASE_WARMUP);
    AtomicLong ops = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long[][] samples = new long[threads][];
    int[] counts = new int[threads];
    List<Thread> ts = new ArrayList<>(threads);
    SplittableRandom root = new SplittableRandom(seed);
    for (int t = 0; t < threads; t++) {
      int me = t;
      SplittableRandom rnd = root.split();
      samples[t] = new long[SAMPLES_PER_THREAD];
      ts.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    long local = 0;
                    int p;
                    while ((p = phase.get()) != PHASE_STOP) {
                      long t0 = System.nanoTime();
                      try {
                        op.run(rnd);
                      } catch (IOException | RuntimeException e) {
                        errors.incrementAndGet();
                      }
                      long dt = System.nanoTime() - t0;
                      if (p == PHASE_MEASURE && phase.get() == PHASE_MEASURE) {
                        local++;
                        int c = counts[me];
                        if (c < SAMPLES_PER_THREAD) {
                          samples[me][c] = dt;
                          counts[me] = c + 1;
                        } else if (rnd.nextInt(4) == 0) {
                          samples[me][rnd.nextInt(SAMPLES_PER_THREAD)] = dt; // keep it fresh
                        }
                      }
                    }
                    ops.addAndGet(local);
                  }));
    }
    Thread.sleep(warmup.toMillis());
    phase.set(PHASE_MEASURE);
    long t0 = System.nanoTime();
    Thread.sleep(measure.toMillis());
    phase.set(PHASE_STOP);
    double seconds = (System.nanoTime() - t0) / 1e9;
    for (Thread t : ts) {
      t.join(Duration.ofSeconds(60));
    }
    int total = 0;
    for (int c : counts) {
      total += c;
    }
    long[] all = new long[total];
    int k = 0;
    for (int t = 0; t < threads; t++) {
      System.arraycopy(samples[t], 0, all, k, counts[t]);
      k += counts[t];
    }
    Arrays.sort(all);
    long p50 = all.length == 0 ? 0 : all[(int) (all.length * 0.50)];
    long p99 = all.length == 0 ? 0 : all[Math.min(all.length - 1, (int) (all.length * 0.99))];
    return new Result(ops.get(), seconds, p50, p99, errors.get());
  }
}
