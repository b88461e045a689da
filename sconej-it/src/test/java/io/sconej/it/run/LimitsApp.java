package io.sconej.it.run;

import java.nio.file.Files;
import java.nio.file.Path;

/** A plain application that prints its process's core file size limit. */
public final class LimitsApp {
  private LimitsApp() {}

  /** Prints the "Max core file size" line of /proc/self/limits. */
  public static void main(String[] args) throws Exception {
    Files.readAllLines(Path.of("/proc/self/limits")).stream()
        .filter(l -> l.startsWith("Max core file size"))
        .forEach(l -> System.out.println("LIMIT " + l.replaceAll("\\s+", " ")));
  }
}
