package io.sconej.bench.fs;

import io.sconej.crypto.SecretBytes;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Synchronous small appends (issue 11 item 6): records of 100-200 bytes appended through {@code
 * FileChannel} with {@code DSYNC} and through {@code RandomAccessFile "rwd"}, each plainly on the
 * host file system and in a sconej volume, repetitions interleaved in one run, reported as
 * throughput ratios. Also 4 concurrent writers (one file each, FileChannel DSYNC), where the
 * volume can group commits. Every file is read back and compared before a figure counts.
 *
 * <p>The {@code RandomAccessFile} rows need the sconej java.io agent ({@code
 * -javaagent:sconej-ioagent.jar}); without it they are measured on the host only. Run it with
 * {@code bench/dsync-bench.sh}.
 *
 * <p>Usage: {@code DsyncBench --work-dir DIR [--records N] [--reps N] [--only ROW] [--out FILE]
 * [--command TEXT]}; ROW is {@code plain-fc}, {@code volume-fc}, {@code plain-raf}, {@code
 * volume-raf} or {@code none} (for syscall counting: one row, one repetition).
 */
public final class DsyncBench {
  static final int WRITERS = 4;

  private DsyncBench() {}

  /** One measured configuration. */
  record Row(String key, String label, DsyncAppender.Api api, boolean volume, int writers) {}

  /** Entry point; see the class Javadoc. */
  public static void main(String[] args) throws Exception {
    Path work = null;
    int records = 2000;
    int reps = 5;
    String only = null;
    Path out = null;
    String command = "DsyncBench";
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (a) {
        case "--work-dir" -> work = Path.of(v);
        case "--records" -> records = Integer.parseInt(v);
        case "--reps" -> reps = Integer.parseInt(v);
        case "--only" -> only = v;
        case "--out" -> out = Path.of(v);
        case "--command" -> command = v;
        default -> {
          System.err.println("dsync-bench: unknown argument " + a);
          System.exit(2);
        }
      }
      i++;
    }
    if (work == null) {
      System.err.println("dsync-bench: --work-dir is required");
      System.exit(2);
    }
    String report = run(work, records, reps, only, command, System.err);
    System.out.print(report);
    if (out != null) {
      Files.writeString(out, report);
    }
  }

  static String run(Path work, int records, int reps, String only, String command,
      PrintStream progress) throws Exception {
    String loadBefore = FsBenchReport.loadAverage();
    Files.createDirectories(work.resolve("plain"));
    boolean agent;
    try {
      agent = VolumeRouting.available();
    } catch (LinkageError e) {
      agent = false; // the agent's classes are not even on the class path
    }
    List<Row> rows = new ArrayList<>();
    for (DsyncAppender.Api api : DsyncAppender.Api.values()) {
      String k = api == DsyncAppender.Api.FILE_CHANNEL ? "fc" : "raf";
      rows.add(new Row("plain-" + k, api.label + ", plain", api, false, 1));
      if (api == DsyncAppender.Api.FILE_CHANNEL || agent) {
        rows.add(new Row("volume-" + k, api.label + ", sconej volume", api, true, 1));
      }
    }
    rows.add(new Row("plain-fc4", WRITERS + " writers, FileChannel DSYNC, plain",
        DsyncAppender.Api.FILE_CHANNEL, false, WRITERS));
    rows.add(new Row("volume-fc4", WRITERS + " writers, FileChannel DSYNC, sconej volume",
        DsyncAppender.Api.FILE_CHANNEL, true, WRITERS));
    if (only != null) {
      String o = only;
      rows.removeIf(r -> !r.key.equals(o));
      reps = 1;
    }
    Map<String, double[]> opsPerSec = new LinkedHashMap<>();
    try (FileSystem fs = FileSystems.newFileSystem(URI.create("sconej:" + work.resolve("volume")),
        Map.of("key", SecretBytes.random(32), "create", true))) {
      if (agent) {
        VolumeRouting.install(work.resolve("vol-mount").toAbsolutePath().toString(), fs);
      }
      for (Row r : rows) {
        opsPerSec.put(r.key, new double[reps]);
      }
      for (int rep = 0; rep < reps; rep++) {
        for (Row r : rows) {
          double ops = measure(r, work, fs, records, rep);
          opsPerSec.get(r.key)[rep] = ops;
          progress.printf("dsync-bench: rep %d %-48s %8.0f records/s%n", rep, r.label, ops);
        }
      }
    }
    return report(rows, opsPerSec, records, reps, agent, command, loadBefore,
        FsBenchReport.loadAverage());
  }

  private static Path target(Row r, Path work, FileSystem fs, int writer) {
    String name = "log-" + writer;
    if (!r.volume) {
      return work.resolve("plain").resolve(name);
    }
    return r.api == DsyncAppender.Api.RANDOM_ACCESS_FILE
        ? work.resolve("vol-mount").resolve(name).toAbsolutePath()
        : fs.getPath("/" + name);
  }

  /** Appends {@code records} records (split over the row's writers); returns records/s. */
  private static double measure(Row r, Path work, FileSystem fs, int records, int rep)
      throws Exception {
    int per = records / r.writers;
    ExecutorService pool = Executors.newFixedThreadPool(r.writers);
    try {
      List<Future<byte[]>> done = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int w = 0; w < r.writers; w++) {
        Path p = target(r, work, fs, w);
        long seed = rep * 1000L + w;
        done.add(pool.submit(() -> append(r.api, p, per, seed)));
      }
      List<byte[]> digests = new ArrayList<>();
      for (Future<byte[]> f : done) {
        digests.add(f.get());
      }
      long nanos = System.nanoTime() - t0;
      for (int w = 0; w < r.writers; w++) {
        Path p = r.volume ? fs.getPath("/log-" + w) : target(r, work, fs, w);
        byte[] got = sha256(Files.readAllBytes(p));
        if (!java.security.MessageDigest.isEqual(got, digests.get(w))) {
          throw new IllegalStateException(r.label + ": " + p + " does not hold what was written");
        }
      }
      return per * (double) r.writers / (nanos / 1e9);
    } finally {
      pool.shutdown();
    }
  }

  /** Appends {@code n} records of 100-200 bytes; returns the SHA-256 of all of them. */
  private static byte[] append(DsyncAppender.Api api, Path p, int n, long seed)
      throws IOException, NoSuchAlgorithmException {
    SplittableRandom random = new SplittableRandom(seed);
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (DsyncAppender a = DsyncAppender.open(api, p)) {
      for (int i = 0; i < n; i++) {
        byte[] rec = new byte[100 + random.nextInt(101)];
        random.nextBytes(rec);
        md.update(rec);
        a.append(rec);
      }
    }
    return md.digest();
  }

  private static byte[] sha256(byte[] b) throws NoSuchAlgorithmException {
    return MessageDigest.getInstance("SHA-256").digest(b);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static String report(List<Row> rows, Map<String, double[]> ops, int records, int reps,
      boolean agent, String command, String loadBefore, String loadAfter) {
    StringBuilder b = new StringBuilder();
    b.append("Command: `").append(command).append("`. ").append(records)
        .append(" records of 100-200 random bytes per repetition and row, ").append(reps)
        .append(" interleaved repetitions (median, then every repetition). Load before: ")
        .append(loadBefore).append("; after: ").append(loadAfter).append(".\n\n");
    b.append("| workload | plain (records/s) | sconej volume (records/s) | volume / plain |"
        + " per repetition |\n|---|---:|---:|---:|---|\n");
    for (Row r : rows) {
      if (r.volume || !ops.containsKey(r.key)) {
        continue;
      }
      String vk = r.key.replace("plain-", "volume-");
      double p = median(ops.get(r.key));
      String name = r.label.substring(0, r.label.length() - ", plain".length());
      if (!ops.containsKey(vk)) {
        b.append(String.format("| %s | %.0f | (no agent) | | |%n", name, p));
        continue;
      }
      double v = median(ops.get(vk));
      StringBuilder per = new StringBuilder();
      for (int i = 0; i < reps; i++) {
        per.append(i == 0 ? "" : ", ")
            .append(String.format("%.2f", ops.get(vk)[i] / ops.get(r.key)[i]));
      }
      b.append(String.format("| %s | %.0f | %.0f | **%.2fx** | %s |%n", name, p, v, v / p, per));
    }
    if (!agent) {
      b.append("\nThe java.io agent was not loaded: RandomAccessFile ran on the host only.\n");
    }
    return b.toString();
  }
}
