package io.sconej.bench.fs;

import java.util.Locale;

/**
 * The goals, checked against one report, and the small-write scaling table. Issue 11 item 8 set
 * sequential reads at 2x gocryptfs and random 4 KiB reads at 0.6x plain; the first file-system
 * issue's goals (1.5x gocryptfs, 0.6x AES-GCM) stay for writes and for reference.
 */
final class FsBenchGoals {
  private FsBenchGoals() {}

  static void append(FsBenchReport r, StringBuilder b) {
    String v = FsBenchReport.VOLUME;
    String g = FsBenchReport.GOCRYPTFS;
    b.append("\n## Goals\n\n| goal | measured | met |\n|---|---|---|\n");
    for (int p = 0; p < 3; p++) {
      String name = p == 0 ? "sequential write" : p == 1 ? "sequential read (cold)"
          : "sequential read (warm)";
      double times = p == 0 ? 1.5 : 2;
      goal(b, name + (p == 0 ? " >= 1.5x" : " >= 2x") + " gocryptfs", r, v, g, p, times);
      goal(b, name + " >= 0.6x AES-GCM limit", r, v, "AES", p, 0.6);
    }
    goal(b, "random 4 KiB read >= 0.6x plain FileChannel", r, v, FsBenchReport.PLAIN, 3, 0.6);
    b.append("\n## Small write (100 B) + force, by number of files in the store\n\n")
        .append("| store | files | create all + one sync (s) | mean (us/op) | median (us/op)"
            + " | p90 (us/op) |\n|---|---|---|---|---|---|\n");
    SmallSyncWorkload.Result[] vol = new SmallSyncWorkload.Result[2];
    int i = 0;
    for (SmallSyncWorkload.Result s : r.small()) {
      boolean isVolume = i % 2 == 0; // FsBench alternates: volume, plain, volume, plain
      if (isVolume) {
        vol[i / 2] = s;
      }
      b.append(String.format(Locale.ROOT, "| %s | %,d | %.2f | %.0f | %.0f | %.0f |%n",
          isVolume ? v : "plain directory", s.files(), s.createNanos() / 1e9, s.meanMicros(),
          s.medianMicros(), s.p90Micros()));
      i++;
    }
    if (vol[0] != null && vol[1] != null) {
      double mean = vol[1].meanMicros() / vol[0].meanMicros();
      double median = vol[1].medianMicros() / vol[0].medianMicros();
      b.append(String.format(Locale.ROOT,
          "%nVolume cost with %,d files / with %,d files: mean %.2fx, median %.2fx"
              + " (goal <= 1.5x: %s)%n",
          vol[1].files(), vol[0].files(), mean, median, mean <= 1.5 ? "met" : "NOT met"));
    }
  }

  private static void goal(StringBuilder b, String name, FsBenchReport r, String a, String base,
      int phase, double min) {
    String ratio = r.ratio(a, base, phase);
    String met = ratio.equals("n/a") ? "not measured"
        : r.rate(a, phase) / r.rate(base, phase) >= min ? "yes" : "NO";
    b.append("| ").append(name).append(" | ").append(ratio).append(" | ").append(met)
        .append(" |\n");
  }
}
