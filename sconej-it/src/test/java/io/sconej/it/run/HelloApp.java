package io.sconej.it.run;

import java.nio.file.Files;
import java.nio.file.Path;

/** A plain application (no sconej code) used by the run tests: counts its runs in /data. */
public final class HelloApp {
  private HelloApp() {}

  /** Prints its arguments and environment, bumps a counter file in the shielded volume. */
  public static void main(String[] args) throws Exception {
    System.out.println("APP-STARTED args=" + String.join(",", args)
        + " GREETING=" + System.getenv("GREETING") + " HOME=" + System.getenv("HOME"));
    Path f = Path.of(args[0], "counter.txt");
    int n = Files.exists(f) ? Integer.parseInt(Files.readString(f).split(" ")[0]) : 0;
    Files.writeString(f, (n + 1) + " COUNTER-PLAINTEXT-MARKER");
    System.out.println("run " + (n + 1) + " cpus=" + Runtime.getRuntime().availableProcessors());
  }
}
