package io.sconej.bench.fs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * File system shield benchmark: plain FileChannel, the raw AES-GCM limit, a sconej volume and
 * (optionally) gocryptfs, measured in one run on the same data, repetitions interleaved across
 * systems so that load changes hit all of them alike. Run it with {@code bench/fs-bench.sh}.
 *
 * <p>Usage: {@code FsBench --work-dir DIR [--gocryptfs-mount DIR] [--drop-caches] [--smoke]
 * [--size-mib N] [--random-ops N] [--reps N] [--files-high N] [--sync-ops N] [--chunk-size N]
 * [--out FILE] [--command TEXT]}. Prints Markdown; exits 2 on bad arguments, 1 on failure.
 */
public final class FsBench {
  /**
   * Volume.verify() keeps one host descriptor open per file it reads (until the next commit of
   * that file or close), so it fails with EMFILE past ~20,000 files on these machines; larger
   * volumes are checked by reading back one file instead.
   */
  private static final int VERIFY_MAX_FILES = 10_000;

  private FsBench() {}

  /** Runs the benchmark described by the config, printing progress, and returns the report. */
  public static FsBenchReport run(FsBenchConfig c, PrintStream progress)
      throws IOException, GeneralSecurityException {
    String loadBefore = FsBenchReport.loadAverage();
    Pattern pattern = new Pattern(c.seed());
    Map<String, BenchStore> stores = new LinkedHashMap<>();
    Map<String, List<IoWorkload.Timings>> timings = new LinkedHashMap<>();
    List<long[]> aes = new ArrayList<>();
    List<SmallSyncWorkload.Result> small = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    try {
      stores.put("plain", new ChannelStore("plain FileChannel", c.workDir().resolve("plain")));
      stores.put("volume", VolumeStore.create(c.workDir().resolve("volume"), c.chunkSizeBytes()));
      if (c.gocryptfsMount().isPresent()) {
        stores.put("gocryptfs", new ChannelStore("gocryptfs", c.gocryptfsMount().get()));
      }
      AesGcmLimit limit = new AesGcmLimit(pattern);
      long warmBytes = Math.min(c.fileSizeBytes(), 64L << 20);
      IoWorkload warm =
          new IoWorkload(pattern, warmBytes, c.appWriteBytes(), Math.min(c.randomOps(), 20_000));
      progress.println("warm-up (" + (warmBytes >> 20) + " MiB per system)");
      limit.encrypt(warmBytes * 4, c.chunkSizeBytes());
      limit.decrypt(warmBytes * 4, c.chunkSizeBytes());
      for (BenchStore s : stores.values()) {
        warm.run(s, false, c.seed());
        timings.put(s.label(), new ArrayList<>());
      }
      IoWorkload work =
          new IoWorkload(pattern, c.fileSizeBytes(), c.appWriteBytes(), c.randomOps());
      for (int rep = 0; rep < c.repetitions(); rep++) {
        for (BenchStore s : stores.values()) {
          progress.println("repetition " + (rep + 1) + ": " + s.label());
          timings.get(s.label()).add(work.run(s, c.dropCaches(), c.seed() + rep));
        }
        progress.println("repetition " + (rep + 1) + ": AES-GCM limit");
        aes.add(new long[] {
          limit.encrypt(c.fileSizeBytes(), c.chunkSizeBytes()),
          limit.decrypt(c.fileSizeBytes(), c.chunkSizeBytes()),
          limit.encrypt(c.fileSizeBytes(), FsBenchConfig.RANDOM_IO_BYTES),
          limit.decrypt(c.fileSizeBytes(), FsBenchConfig.RANDOM_IO_BYTES)
        });
      }
      progress.println("checking every byte after the random writes");
      for (BenchStore s : stores.values()) {
        work.verifyAll(s);
        s.deleteIfExists("bench.dat");
        s.sync();
      }
      ((VolumeStore) stores.get("volume")).verify();
      try {
        small.addAll(smallSync(c, progress));
      } catch (IOException | RuntimeException e) {
        notes.add("small write + sync failed: " + e);
        progress.println("small write + sync failed: " + e);
      }
    } finally {
      for (BenchStore s : stores.values()) {
        s.close();
      }
    }
    return new FsBenchReport(
        c, timings, aes, small, notes, loadBefore, FsBenchReport.loadAverage());
  }

  private static List<SmallSyncWorkload.Result> smallSync(FsBenchConfig c, PrintStream progress)
      throws IOException {
    List<SmallSyncWorkload.Result> out = new ArrayList<>();
    for (int files : new int[] {c.filesLow(), c.filesHigh()}) {
      progress.println("small write + sync: sconej volume with " + files + " files");
      try (VolumeStore v = VolumeStore.create(c.workDir().resolve("vol-" + files), 4096)) {
        out.add(SmallSyncWorkload.run(v, files, c.syncOps(), c.seed()));
        if (files <= VERIFY_MAX_FILES) {
          v.verify();
        }
      }
      progress.println("small write + sync: plain directory with " + files + " files");
      try (ChannelStore p = new ChannelStore("plain", c.workDir().resolve("plain-" + files))) {
        out.add(SmallSyncWorkload.run(p, files, c.syncOps(), c.seed()));
      }
    }
    return out;
  }

  /** Command-line entry point; see the class Javadoc. */
  public static void main(String[] args) {
    try {
      Map<String, String> a = parse(args);
      Path work = Path.of(require(a, "--work-dir"));
      Optional<Path> mount = Optional.ofNullable(a.get("--gocryptfs-mount")).map(Path::of);
      boolean drop = a.containsKey("--drop-caches");
      FsBenchConfig base =
          a.containsKey("--smoke") ? FsBenchConfig.smoke(work) : FsBenchConfig.full(work, mount,
              drop);
      FsBenchConfig c = new FsBenchConfig(work, mount,
          num(a, "--size-mib", base.fileSizeBytes() >> 20) << 20, base.appWriteBytes(),
          (int) num(a, "--random-ops", base.randomOps()), (int) num(a, "--reps",
              base.repetitions()), (int) num(a, "--chunk-size", base.chunkSizeBytes()),
          base.filesLow(), (int) num(a, "--files-high", base.filesHigh()),
          (int) num(a, "--sync-ops", base.syncOps()), drop, base.seed());
      Files.createDirectories(work);
      FsBenchReport r = run(c, System.err);
      String md = r.toMarkdown(a.getOrDefault("--command", "(not given)"));
      System.out.print(md);
      if (a.containsKey("--out")) {
        Files.writeString(Path.of(a.get("--out")), md);
      }
    } catch (IllegalArgumentException e) {
      System.err.println("fs-bench: " + e.getMessage());
      System.exit(2);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      System.err.println("fs-bench: failed: " + e);
      System.exit(1);
    }
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String k = args[i];
      if (k.equals("--smoke") || k.equals("--drop-caches")) {
        m.put(k, "");
      } else if (k.startsWith("--") && i + 1 < args.length) {
        m.put(k, args[++i]);
      } else {
        throw new IllegalArgumentException("unknown or incomplete argument: " + k);
      }
    }
    return m;
  }

  private static String require(Map<String, String> a, String key) {
    String v = a.get(key);
    if (v == null) {
      throw new IllegalArgumentException("missing " + key);
    }
    return v;
  }

  private static long num(Map<String, String> a, String key, long dflt) {
    try {
      return a.containsKey(key) ? Long.parseLong(a.get(key)) : dflt;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " needs a number, got " + a.get(key));
    }
  }
}
