package io.sconej.hostcalls;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Configuration of the host-call interface, in the spirit of SCONE's {@code SCONE_QUEUES},
 * {@code SCONE_SLOTS}, {@code SCONE_SSPINS} and {@code SCONE_SSLEEP}. Defaults were chosen by
 * measurement on a 2-core machine (see {@code docs/benchmarks-hostcalls.md}).
 *
 * @param mode {@code sync}: the calling thread performs each call; {@code async}: queues and
 *     sthreads. Key {@code sconej.hostcalls.mode}, default {@code async}.
 * @param ethreads carrier threads (virtual thread scheduler parallelism); the launcher must pass
 *     {@link #jvmFlags()}, this runtime cannot change it after start. Key {@code .ethreads},
 *     default: available processors.
 * @param sthreads host threads serving the queues. Key {@code .sthreads}, default 1.
 * @param queues queue pairs. Key {@code .queues}, default 1.
 * @param slots slots (outstanding requests) per queue pair, at most 65536. Key {@code .slots},
 *     default 256.
 * @param slotBytes data buffer per slot, a multiple of 64 in [64, 16 MiB]; larger reads and
 *     writes are split. Key {@code .slotBytes}, default 32768.
 * @param spins idle polls of an sthread before it sleeps (SSPINS). Key {@code .sspins}, default
 *     20000.
 * @param sleep how long an idle sthread sleeps before polling again, unless woken (SSLEEP). Key
 *     {@code .ssleepMicros}, default 1000 us.
 * @param callerSpins polls of the response ring by a caller before it parks, only while few
 *     calls are in flight (at most {@code ethreads}) and no other caller polls or waits to resume.
 *     Key {@code .cspins}, default 2000.
 * @param callerYields polls of the response ring by a caller separated by {@code Thread.yield()}
 *     (its carrier runs other virtual threads in between) before it parks. Key {@code .cyields},
 *     default 4.
 * @param callTimeout longest wait for a host answer; then the call fails with {@link
 *     HostCallException}. Key {@code .timeoutMillis}, default 30000.
 * @param exitCycles emulated enclave-exit cost in CPU cycles, 0 = off (SGX: about 8000). Key
 *     {@code .exitCycles}, default 0.
 * @param cpuGhz clock used to turn cycles into nanoseconds; 0 = read {@code /proc/cpuinfo}, else
 *     3.0. Key {@code .cpuGhz}, default 0.
 */
public record HostCallConfig(
    Mode mode,
    int ethreads,
    int sthreads,
    int queues,
    int slots,
    int slotBytes,
    long spins,
    Duration sleep,
    long callerSpins,
    long callerYields,
    Duration callTimeout,
    long exitCycles,
    double cpuGhz) {

  /** Prefix of every configuration key. */
  public static final String PREFIX = "sconej.hostcalls.";

  /** The SGX figure for one enclave exit, in cycles. */
  public static final long SGX_EXIT_CYCLES = 8000;

  /** How host calls are carried out. */
  public enum Mode {
    /** The caller performs the call (one emulated exit per call). */
    SYNC,
    /** Queues in off-heap memory served by sthreads; the caller parks. */
    ASYNC
  }

  /** Validates every field; messages name the configuration key. */
  public HostCallConfig {
    if (mode == null) {
      throw new IllegalArgumentException(PREFIX + "mode: missing");
    }
    range("ethreads", ethreads, 1, 1024);
    range("sthreads", sthreads, 1, 1024);
    range("queues", queues, 1, 1024);
    range("slots", slots, 1, 65536);
    range("slotBytes", slotBytes, 64, 16 << 20);
    if (slotBytes % 64 != 0) {
      throw new IllegalArgumentException(PREFIX + "slotBytes: not a multiple of 64: " + slotBytes);
    }
    range("sspins", spins, 0, Long.MAX_VALUE);
    range("cspins", callerSpins, 0, Long.MAX_VALUE);
    range("cyields", callerYields, 0, Long.MAX_VALUE);
    range("exitCycles", exitCycles, 0, 100_000_000);
    if (sleep == null || sleep.isNegative() || sleep.isZero()) {
      throw new IllegalArgumentException(PREFIX + "ssleepMicros: must be positive");
    }
    if (callTimeout == null || callTimeout.isNegative() || callTimeout.isZero()) {
      throw new IllegalArgumentException(PREFIX + "timeoutMillis: must be positive");
    }
    if (!(cpuGhz >= 0 && cpuGhz <= 100)) {
      throw new IllegalArgumentException(PREFIX + "cpuGhz: out of range [0, 100]: " + cpuGhz);
    }
  }

  private static void range(String key, long v, long min, long max) {
    if (v < min || v > max) {
      throw new IllegalArgumentException(
          PREFIX + key + ": out of range [" + min + ", " + max + "]: " + v);
    }
  }

  /** The defaults (see the record's documentation). */
  public static HostCallConfig defaults() {
    return new HostCallConfig(
        Mode.ASYNC,
        Runtime.getRuntime().availableProcessors(),
        1,
        1,
        256,
        32768,
        20_000,
        Duration.ofNanos(1_000_000),
        2000,
        4,
        Duration.ofSeconds(30),
        0,
        0);
  }

  /** The defaults overridden by the {@code sconej.hostcalls.*} system properties. */
  public static HostCallConfig fromSystemProperties() {
    Properties p = System.getProperties();
    Map<String, String> m = new LinkedHashMap<>();
    for (String k : p.stringPropertyNames()) {
      m.put(k, p.getProperty(k));
    }
    return defaults().with(m);
  }

  /** {@code fromMap(m)} over the defaults. */
  public static HostCallConfig fromMap(Map<String, String> m) {
    return defaults().with(m);
  }

  /**
   * This configuration overridden by the {@code sconej.hostcalls.*} entries of {@code m}; other
   * keys are ignored.
   *
   * @throws IllegalArgumentException naming the key, for an unknown {@code sconej.hostcalls.*}
   *     key or a bad value
   */
  public HostCallConfig with(Map<String, String> m) {
    Mode md = mode;
    int et = ethreads;
    int st = sthreads;
    int q = queues;
    int sl = slots;
    int sb = slotBytes;
    long sp = spins;
    Duration ss = sleep;
    long cs = callerSpins;
    long cy = callerYields;
    Duration to = callTimeout;
    long ec = exitCycles;
    double ghz = cpuGhz;
    for (var e : m.entrySet()) {
      if (!e.getKey().startsWith(PREFIX)) {
        continue;
      }
      String key = e.getKey().substring(PREFIX.length());
      String v = e.getValue().trim();
      switch (key) {
        case "mode" -> md = parseMode(v);
        case "ethreads" -> et = (int) parse(key, v, Integer.MAX_VALUE);
        case "sthreads" -> st = (int) parse(key, v, Integer.MAX_VALUE);
        case "queues" -> q = (int) parse(key, v, Integer.MAX_VALUE);
        case "slots" -> sl = (int) parse(key, v, Integer.MAX_VALUE);
        case "slotBytes" -> sb = (int) parse(key, v, Integer.MAX_VALUE);
        case "sspins" -> sp = parse(key, v, Long.MAX_VALUE);
        case "ssleepMicros" -> ss = Duration.ofNanos(Math.multiplyExact(parse(key, v, 1L << 40), 1000));
        case "cspins" -> cs = parse(key, v, Long.MAX_VALUE);
        case "cyields" -> cy = parse(key, v, Long.MAX_VALUE);
        case "timeoutMillis" -> to = Duration.ofMillis(parse(key, v, 1L << 40));
        case "exitCycles" -> ec = parse(key, v, Long.MAX_VALUE);
        case "cpuGhz" -> ghz = parseDouble(key, v);
        default ->
            throw new IllegalArgumentException(PREFIX + key + ": unknown host-call setting");
      }
    }
    return new HostCallConfig(md, et, st, q, sl, sb, sp, ss, cs, cy, to, ec, ghz);
  }

  private static Mode parseMode(String v) {
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "sync" -> Mode.SYNC;
      case "async" -> Mode.ASYNC;
      default ->
          throw new IllegalArgumentException(PREFIX + "mode: expected sync or async, got " + v);
    };
  }

  private static long parse(String key, String v, long max) {
    try {
      long x = Long.parseLong(v.replace("_", ""));
      if (x < 0 || x > max) {
        throw new IllegalArgumentException(PREFIX + key + ": out of range: " + v);
      }
      return x;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(PREFIX + key + ": not a whole number: " + v, e);
    }
  }

  private static double parseDouble(String key, String v) {
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(PREFIX + key + ": not a number: " + v, e);
    }
  }

  /** The same settings as {@code sconej.hostcalls.*} keys (round-trips through {@link #with}). */
  public Map<String, String> toMap() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(PREFIX + "mode", mode.name().toLowerCase(Locale.ROOT));
    m.put(PREFIX + "ethreads", Integer.toString(ethreads));
    m.put(PREFIX + "sthreads", Integer.toString(sthreads));
    m.put(PREFIX + "queues", Integer.toString(queues));
    m.put(PREFIX + "slots", Integer.toString(slots));
    m.put(PREFIX + "slotBytes", Integer.toString(slotBytes));
    m.put(PREFIX + "sspins", Long.toString(spins));
    m.put(PREFIX + "ssleepMicros", Long.toString(sleep.toNanos() / 1000));
    m.put(PREFIX + "cspins", Long.toString(callerSpins));
    m.put(PREFIX + "cyields", Long.toString(callerYields));
    m.put(PREFIX + "timeoutMillis", Long.toString(callTimeout.toMillis()));
    m.put(PREFIX + "exitCycles", Long.toString(exitCycles));
    m.put(PREFIX + "cpuGhz", Double.toString(cpuGhz));
    return m;
  }

  /** The JVM flag that gives the virtual thread scheduler {@link #ethreads} carriers. */
  public String jvmFlags() {
    return "-Djdk.virtualThreadScheduler.parallelism=" + ethreads;
  }
}
