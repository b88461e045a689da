package io.sconej.runtime;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Start-up phases (JVM start, measurement, attestation, shields), printed to stderr when {@code
 * SCONEJ_TIMING=1} (or {@code -Dsconej.timing=true}) for the start-up benchmark, each after the
 * lines noted with {@link #note} (the host calls in use).
 */
final class StartupTimer {
  private final long t0 = System.currentTimeMillis();
  private long last = t0;
  private final Map<String, Long> phases = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();
  /** Read at construction: the session environment replaces the host's later. */
  private final boolean enabled =
      "1".equals(System.getenv("SCONEJ_TIMING")) || Boolean.getBoolean("sconej.timing");
  /** JVM start (only when enabled: the management classes cost start-up time themselves). */
  private final long jvmStartMillis =
      enabled ? ManagementFactory.getRuntimeMXBean().getStartTime() : 0;

  synchronized void mark(String phase) {
    long now = System.currentTimeMillis();
    phases.put(phase, now - last);
    last = now;
  }

  /** Records a phase that ran beside the others (e.g. the measurement, on its own thread). */
  synchronized void record(String phase, long startMillis) {
    phases.put(phase, System.currentTimeMillis() - startMillis);
  }

  long now() {
    return System.currentTimeMillis();
  }

  /** A line printed before the timings. */
  synchronized void note(String line) {
    notes.add(line);
  }

  synchronized void report(PrintStream err) {
    if (enabled) {
      notes.forEach(err::println);
      StringBuilder b = new StringBuilder("sconej timing: jvm=").append(t0 - jvmStartMillis);
      phases.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
      err.println(b.append(" (ms)"));
    }
  }
}
