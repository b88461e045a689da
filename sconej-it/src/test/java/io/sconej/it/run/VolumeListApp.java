package io.sconej.it.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A plain application (no sconej code) for the owner-operation tests: on its first run it writes
 * notes.txt and keep.txt into the volume; every run bumps counter.txt and prints the volume's
 * files and the counter, then lists the other directories it is given.
 */
public final class VolumeListApp {
  private VolumeListApp() {}

  /** {@code args[0]}: the volume's path; further arguments: directories to list. */
  public static void main(String[] args) throws Exception {
    Path d = Path.of(args[0]);
    Path counter = d.resolve("counter.txt");
    if (!Files.exists(counter)) {
      Files.writeString(d.resolve("notes.txt"), "NOTES-PLAINTEXT-MARKER");
      Files.writeString(d.resolve("keep.txt"), "KEEP-PLAINTEXT-MARKER");
    }
    int n = Files.exists(counter) ? Integer.parseInt(Files.readString(counter).strip()) : 0;
    Files.writeString(counter, Integer.toString(n + 1));
    try (Stream<Path> s = Files.list(d)) {
      System.out.println("FILES=" + s.map(p -> p.getFileName().toString())
          .filter(f -> !f.startsWith(".")).sorted().toList());
    }
    System.out.println("COUNTER=" + (n + 1));
    for (int i = 1; i < args.length; i++) {
      try (Stream<Path> s = Files.list(Path.of(args[i]))) {
        System.out.println("LIST " + args[i] + "=" + s.map(p -> p.getFileName().toString())
            .filter(f -> !f.startsWith(".")).sorted().toList());
      }
    }
  }
}
