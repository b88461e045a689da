package io.sconej.bench.hostcalls;

import io.sconej.hostcalls.CheckedHostCalls;
import io.sconej.hostcalls.ExitCost;
import io.sconej.hostcalls.HostCallConfig;
import io.sconej.hostcalls.HostCallsFactory;
import io.sconej.hostcalls.HostCalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Sync versus async host calls, each configuration in its own forked JVM with 2 carriers
 * ({@code -Djdk.virtualThreadScheduler.parallelism=2}). Prints a Markdown report: the handoff
 * floor ({@link HandoffFloor}), then for each workload and exit cost a table of ops/s, p50 and
 * p99 latency and the async/sync ratio, then the carrier-blocking demonstration ({@link
 * CarrierBlockingDemo}). Each cell runs {@code --forks} JVMs and reports the fork with the
 * median ops/s (its latencies with it) and the range over forks: the machine is shared, so one
 * fork alone says little.
 *
 * <p>Usage: {@code java -cp sconej-bench/target/benchmarks.jar
 * io.sconej.bench.hostcalls.HostCallBench [--measureMs 2000] [--warmupMs 1500] [--forks 3]
 * [--threads 1,16,256,4096] [--exitCycles 8000] [--workloads roundtrip,file,shield]
 * [sconej.hostcalls.key=value ...]}
 */
public final class HostCallBench {
  /**
   * One measurement.
   *
   * @param workload {@code roundtrip} (one {@code size(handle)} call, an fstat), {@code shield}
   *     (random 4 KiB reads and writes of shielded files, {@link ShieldWorkload}) or {@code file}
   * @param mode sync or async
   * @param exitCycles emulated exit cost, 0 = off
   * @param threads concurrent virtual threads
   * @param warmupMs warm-up
   * @param measureMs measured interval
   * @param settings extra {@code sconej.hostcalls.*} settings
   */
  public record Spec(
      String workload,
      String mode,
      long exitCycles,
      int threads,
      long warmupMs,
      long measureMs,
      Map<String, String> settings) {}

  private HostCallBench() {}

  /** Runs one measurement in this JVM. */
  public static ClosedLoop.Result measure(Spec s, Path dir) throws IOException, InterruptedException {
    Map<String, String> m = new LinkedHashMap<>(s.settings());
    m.put("sconej.hostcalls.mode", s.mode());
    m.put("sconej.hostcalls.exitCycles", Long.toString(s.exitCycles()));
    HostCallConfig config = HostCallConfig.fromMap(m);
    Duration warm = Duration.ofMillis(s.warmupMs());
    Duration meas = Duration.ofMillis(s.measureMs());
    try (CheckedHostCalls h = HostCallsFactory.create(config)) {
      if (s.workload().equals("shield")) {
        try (ShieldWorkload w = ShieldWorkload.create(h, dir, 16, 4L << 20)) {
          return w.run(s.threads(), warm, meas);
        }
      }
      if (s.workload().equals("file")) {
        try (FileWorkload w = FileWorkload.create(h, dir, 16, 4L << 20)) {
          return w.run(s.threads(), warm, meas);
        }
      }
      long fd = h.open(dir.resolve("rt").toString(), HostCalls.READ | HostCalls.WRITE | HostCalls.CREATE);
      ClosedLoop.Result r = ClosedLoop.run(s.threads(), warm, meas, 7, rnd -> h.size(fd));
      h.close(fd);
      return r;
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--child")) {
      child(args);
      return;
    }
    long warmupMs = 1500;
    long measureMs = 2000;
    int forks = 3;
    List<String> workloads = List.of("roundtrip", "file", "shield");
    long exitCycles = HostCallConfig.SGX_EXIT_CYCLES;
    List<Integer> threads = List.of(1, 16, 256, 4096);
    Map<String, String> settings = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--warmupMs" -> warmupMs = Long.parseLong(args[++i]);
        case "--measureMs" -> measureMs = Long.parseLong(args[++i]);
        case "--exitCycles" -> exitCycles = Long.parseLong(args[++i]);
        case "--forks" -> forks = Integer.parseInt(args[++i]);
        case "--workloads" -> workloads = List.of(args[++i].split(","));
        case "--threads" ->
            threads = java.util.Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
        default -> {
          String[] kv = args[i].split("=", 2);
          if (kv.length != 2) {
            throw new IllegalArgumentException("expected --option value or key=value: " + args[i]);
          }
          settings.put(kv[0], kv[1]);
        }
      }
    }
    HostCallConfig shown = HostCallConfig.defaults().with(settings);
    ExitCost cost = ExitCost.of(shown.with(Map.of("sconej.hostcalls.exitCycles", "" + exitCycles)));
    System.out.println("# host-call benchmark (" + Runtime.version() + ", "
        + Runtime.getRuntime().availableProcessors() + " cores, 2 carriers per forked JVM)");
    System.out.println("load before: " + uptime());
    System.out.println("emulated exit cost when on: " + cost + " (busy-wait; no SGX here)");
    System.out.println("async settings: " + shown.toMap());
    System.out.println("each cell: median of " + forks + " forks by ops/s (range in brackets), "
        + warmupMs + " ms warm-up, " + measureMs + " ms measured");
    System.out.println();
    System.out.println("## floor: no host call at all (2 carriers, HandoffFloor)");
    System.out.println();
    System.out.println("```");
    for (String line : forkLines(List.of("-Djdk.virtualThreadScheduler.parallelism=2"),
        HandoffFloor.class, List.of("1000"), "FLOOR ")) {
      System.out.println(line.substring("FLOOR ".length()));
    }
    System.out.println("```");
    System.out.println();
    for (String workload : workloads) {
      for (long exit : List.of(0L, exitCycles)) {
        System.out.println("## " + workload + ", emulated exit cost " + (exit == 0 ? "off" : "ON ("
            + exit + " cycles per sync call)"));
        System.out.println();
        System.out.println("| vthreads | sync ops/s | async ops/s | async/sync | sync p50 us | "
            + "async p50 us | sync p99 us | async p99 us | errors |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int t : threads) {
          Cell sync = cell(new Spec(workload, "sync", exit, t, warmupMs, measureMs, settings), forks);
          Cell async = cell(new Spec(workload, "async", exit, t, warmupMs, measureMs, settings), forks);
          System.out.printf(Locale.ROOT, "| %d | %s | %s | **%.2fx** | %.1f | %.1f | %.1f | %.1f | %d |%n",
              t, sync.ops(), async.ops(), async.median.opsPerSecond() / sync.median.opsPerSecond(),
              sync.median.p50Nanos() / 1e3, async.median.p50Nanos() / 1e3,
              sync.median.p99Nanos() / 1e3, async.median.p99Nanos() / 1e3,
              sync.errors + async.errors);
        }
        System.out.println();
      }
    }
    System.out.println("## carrier blocking: 1 carrier, one host call blocked (open of a FIFO "
        + "without writer), 8 other virtual threads calling stat for 1 s");
    System.out.println();
    System.out.println("| mode | other calls completed while blocked | blocked call finished after release |");
    System.out.println("|---|---:|---|");
    for (String mode : List.of("sync", "async")) {
      String[] f = forkLines(List.of("-Djdk.virtualThreadScheduler.parallelism=1",
          "-Djdk.virtualThreadScheduler.maxPoolSize=1"), CarrierBlockingDemo.class,
          List.of(mode), "BLOCKING ").get(0).split(" ");
      System.out.println("| " + f[1] + " | " + f[2] + " | " + f[3] + " |");
    }
    System.out.println();
    System.out.println("load after: " + uptime());
  }

  /** One table cell: the fork with the median ops/s, and the range over all forks. */
  private record Cell(ClosedLoop.Result median, double min, double max, long errors) {
    String ops() {
      return String.format(Locale.ROOT, "%.0f [%.0f-%.0f]", median.opsPerSecond(), min, max);
    }
  }

  private static Cell cell(Spec s, int forks) throws IOException, InterruptedException {
    List<ClosedLoop.Result> rs = new ArrayList<>();
    long errors = 0;
    for (int i = 0; i < forks; i++) {
      ClosedLoop.Result r = fork(s);
      rs.add(r);
      errors += r.errors();
    }
    rs.sort(java.util.Comparator.comparingDouble(ClosedLoop.Result::opsPerSecond));
    return new Cell(rs.get(rs.size() / 2), rs.get(0).opsPerSecond(),
        rs.get(rs.size() - 1).opsPerSecond(), errors);
  }

  /** Runs {@code main} in a child JVM and returns its output lines that start with a prefix. */
  private static List<String> forkLines(List<String> jvmArgs, Class<?> main, List<String> args,
      String prefix) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java));
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    List<String> lines = out.lines().filter(l -> l.startsWith(prefix)).toList();
    if (lines.isEmpty()) {
      throw new IOException(main.getSimpleName() + " printed no " + prefix.trim() + " line: " + out);
    }
    return lines;
  }

  private static String uptime() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static ClosedLoop.Result fork(Spec s) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Djdk.virtualThreadScheduler.parallelism=2",
        "-Xmx2g", "-cp", System.getProperty("java.class.path"), HostCallBench.class.getName(),
        "--child", s.workload(), s.mode(), Long.toString(s.exitCycles()), Integer.toString(s.threads()),
        Long.toString(s.warmupMs()), Long.toString(s.measureMs())));
    s.settings().forEach((k, v) -> cmd.add(k + "=" + v));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(s.warmupMs() + s.measureMs() + 120_000, TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
    }
    for (String line : out.split("\n")) {
      if (line.startsWith("RESULT ")) {
        String[] f = line.split(" ");
        return new ClosedLoop.Result(Long.parseLong(f[1]), Double.parseDouble(f[2]),
            Long.parseLong(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5]));
      }
    }
    throw new IOException("benchmark child failed for " + s + ": " + out);
  }

  private static void child(String[] a) throws Exception {
    Map<String, String> settings = new LinkedHashMap<>();
    for (int i = 7; i < a.length; i++) {
      String[] kv = a[i].split("=", 2);
      settings.put(kv[0], kv[1]);
    }
    Spec s = new Spec(a[1], a[2], Long.parseLong(a[3]), Integer.parseInt(a[4]),
        Long.parseLong(a[5]), Long.parseLong(a[6]), settings);
    Path dir = Files.createTempDirectory("sconej-bench");
    try {
      ClosedLoop.Result r = measure(s, dir);
      System.out.println("RESULT " + r.ops() + " " + r.seconds() + " " + r.p50Nanos() + " "
          + r.p99Nanos() + " " + r.errors());
    } finally {
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(dir);
    }
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }
}
