package io.sconej.bench.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The results of one run and their Markdown rendering: throughput per system (median of the
 * repetitions, best in parentheses), ratios against the baselines measured in the same run, the
 * goals of the issue, and the small-write-plus-sync scaling.
 *
 * @param timings per system label, one entry per repetition
 * @param aes per repetition: nanos of {encrypt, decrypt} at the chunk size, then at 4 KiB
 * @param small small-write-plus-sync results (volume and plain, low and high file counts)
 * @param notes failures of parts of the run, rendered with the results
 */
public record FsBenchReport(
    FsBenchConfig config,
    Map<String, List<IoWorkload.Timings>> timings,
    List<long[]> aes,
    List<SmallSyncWorkload.Result> small,
    List<String> notes,
    String loadBefore,
    String loadAfter) {

  static final String PLAIN = "plain FileChannel";
  static final String VOLUME = "sconej volume";
  static final String GOCRYPTFS = "gocryptfs";

  /** The load averages of /proc/loadavg (1, 5, 15 minutes), or "unknown". */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | ArrayIndexOutOfBoundsException e) {
      return "unknown";
    }
  }

  Stats stats(String label, ToLongFunction<IoWorkload.Timings> phase) {
    return Stats.of(timings.get(label).stream().mapToLong(phase).toArray());
  }

  Stats aes(int column) {
    return Stats.of(aes.stream().mapToLong(a -> a[column]).toArray());
  }

  /** Median throughput of a phase: MB/s for sequential phases, ops/s for random ones. */
  double rate(String label, int phase) {
    long bytes = config.fileSizeBytes();
    long ops = config.randomOps();
    if (label.equals("AES")) {
      return switch (phase) {
        case 0 -> aes(0).mbPerSecond(bytes);
        case 1, 2 -> aes(1).mbPerSecond(bytes);
        case 3 -> aes(3).opsPerSecond(bytes / FsBenchConfig.RANDOM_IO_BYTES);
        default -> aes(2).opsPerSecond(bytes / FsBenchConfig.RANDOM_IO_BYTES);
      };
    }
    return phase < 3 ? stats(label, PHASES[phase]).mbPerSecond(bytes)
        : stats(label, PHASES[phase]).opsPerSecond(ops);
  }

  private String cell(String label, int phase) {
    if (label.equals("AES")) {
      return fmt(rate(label, phase));
    }
    if (!timings.containsKey(label)) {
      return "not run";
    }
    Stats s = stats(label, PHASES[phase]);
    double best = phase < 3 ? s.bestMbPerSecond(config.fileSizeBytes())
        : s.bestOpsPerSecond(config.randomOps());
    return fmt(rate(label, phase)) + " (" + fmt(best) + ")";
  }

  @SuppressWarnings("unchecked")
  private static final ToLongFunction<IoWorkload.Timings>[] PHASES = new ToLongFunction[] {
    (ToLongFunction<IoWorkload.Timings>) IoWorkload.Timings::seqWrite,
    (ToLongFunction<IoWorkload.Timings>) IoWorkload.Timings::seqReadCold,
    (ToLongFunction<IoWorkload.Timings>) IoWorkload.Timings::seqReadWarm,
    (ToLongFunction<IoWorkload.Timings>) IoWorkload.Timings::randRead,
    (ToLongFunction<IoWorkload.Timings>) IoWorkload.Timings::randWrite
  };

  private static final String[] PHASE_NAMES = {
    "sequential write + force (MB/s)", "sequential read, cold cache (MB/s)",
    "sequential read, warm cache (MB/s)", "random 4 KiB read (ops/s)",
    "random 4 KiB write, then one force (ops/s)"
  };

  /** Renders the report; command is the exact command line that produced it. */
  public String toMarkdown(String command) {
    StringBuilder b = new StringBuilder();
    boolean dropped = timings.values().stream().flatMap(List::stream)
        .allMatch(IoWorkload.Timings::cacheDropped);
    b.append("## Run\n\n")
        .append("- command: `").append(command).append("`\n")
        .append("- finished: ").append(Instant.now()).append(", JDK ")
        .append(Runtime.version()).append(", ")
        .append(Runtime.getRuntime().availableProcessors()).append(" CPUs\n")
        .append("- load average (1/5/15 min) before: ").append(loadBefore)
        .append("; after: ").append(loadAfter).append('\n')
        .append("- file ").append(config.fileSizeBytes() >> 20).append(" MiB in ")
        .append(config.appWriteBytes() >> 10).append(" KiB application writes; ")
        .append(config.randomOps()).append(" random ops; volume chunk ")
        .append(config.chunkSizeBytes()).append(" B; ").append(config.repetitions())
        .append(" repetitions (median, best in parentheses)\n")
        .append("- page cache dropped before the cold read: ").append(dropped ? "yes" : "no")
        .append("\n\n");
    b.append("| workload | ").append(PLAIN).append(" | AES-GCM limit | ").append(VOLUME)
        .append(" | ").append(GOCRYPTFS).append(" |\n|---|---|---|---|---|\n");
    for (int p = 0; p < PHASE_NAMES.length; p++) {
      b.append("| ").append(PHASE_NAMES[p]).append(" | ").append(cell(PLAIN, p)).append(" | ")
          .append(cell("AES", p)).append(" | ").append(cell(VOLUME, p)).append(" | ")
          .append(cell(GOCRYPTFS, p)).append(" |\n");
    }
    b.append("\nAES-GCM limit: one core, in memory; sequential rows at the chunk size (")
        .append(config.chunkSizeBytes()).append(" B), random rows one 4 KiB piece per op.\n\n");
    b.append("## Ratios (medians)\n\n| workload | volume / gocryptfs | volume / AES-GCM limit"
        + " | volume / plain | gocryptfs / plain |\n|---|---|---|---|---|\n");
    for (int p = 0; p < PHASE_NAMES.length; p++) {
      b.append("| ").append(PHASE_NAMES[p]).append(" | ").append(ratio(VOLUME, GOCRYPTFS, p))
          .append(" | ").append(ratio(VOLUME, "AES", p)).append(" | ")
          .append(ratio(VOLUME, PLAIN, p)).append(" | ").append(ratio(GOCRYPTFS, PLAIN, p))
          .append(" |\n");
    }
    FsBenchGoals.append(this, b);
    for (String n : notes) {
      b.append("\n**").append(n).append("**\n");
    }
    return b.toString();
  }

  String ratio(String a, String base, int phase) {
    if (!(a.equals("AES") || timings.containsKey(a))
        || !(base.equals("AES") || timings.containsKey(base))) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%.2fx", rate(a, phase) / rate(base, phase));
  }

  static String fmt(double v) {
    return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v)
        : String.format(Locale.ROOT, "%.1f", v);
  }
}
