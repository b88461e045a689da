package io.sconej.hostcalls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An emulated SGX enclave exit: a busy-wait of a configured number of CPU cycles, turned into
 * nanoseconds with a stated clock rate. Lets the benefit of asynchronous host calls be measured
 * on machines without SGX; every report that uses it must say so.
 */
public final class ExitCost {
  /** No cost. */
  public static final ExitCost NONE = new ExitCost(0, 0, 3.0);

  private final long cycles;
  private final long nanos;
  private final double ghz;

  private ExitCost(long cycles, long nanos, double ghz) {
    this.cycles = cycles;
    this.nanos = nanos;
    this.ghz = ghz;
  }

  /** The cost a configuration asks for ({@link #NONE} when {@code exitCycles} is 0). */
  public static ExitCost of(HostCallConfig config) {
    if (config.exitCycles() == 0) {
      return NONE;
    }
    double ghz = config.cpuGhz() > 0 ? config.cpuGhz() : detectGhz();
    return new ExitCost(config.exitCycles(), Math.round(config.exitCycles() / ghz), ghz);
  }

  /** The nominal clock from {@code /proc/cpuinfo} ("cpu MHz"), else 3.0 GHz. */
  static double detectGhz() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("cpu MHz")) {
          double mhz = Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
          if (mhz > 100 && mhz < 100_000) {
            return mhz / 1000;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux or unreadable: fall back to the stated assumption below.
    }
    return 3.0;
  }

  /** True if this emulates a nonzero cost. */
  public boolean enabled() {
    return nanos > 0;
  }

  /** Cycles per exit. */
  public long cycles() {
    return cycles;
  }

  /** Nanoseconds per exit. */
  public long nanos() {
    return nanos;
  }

  /** The clock rate assumed in GHz. */
  public double ghz() {
    return ghz;
  }

  /** Busy-waits for one exit's worth of time on the calling thread (and its carrier). */
  public void pay() {
    if (nanos <= 0) {
      return;
    }
    long end = System.nanoTime() + nanos;
    while (System.nanoTime() - end < 0) {
      Thread.onSpinWait();
    }
  }

  @Override
  public String toString() {
    return enabled() ? cycles + " cycles = " + nanos + " ns at " + ghz + " GHz" : "off";
  }
}
