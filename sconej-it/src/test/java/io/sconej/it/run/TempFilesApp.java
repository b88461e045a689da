package io.sconej.it.run;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * An unmodified application that, as libraries do, makes temporary files in the default temporary
 * directory ({@code File.createTempFile}, {@code Files.createTempFile}), writes a relative file,
 * and prints its locale and where everything went.
 */
public final class TempFilesApp {
  private TempFilesApp() {}

  /** {@code args[0]}: the marker to write (the test checks the host never holds it). */
  public static void main(String[] args) throws Exception {
    String marker = args[0];
    File io = File.createTempFile("sconej-it-io-", ".tmp");
    try (var w = new java.io.FileWriter(io, StandardCharsets.UTF_8)) {
      w.write(marker + " io");
    }
    Path nio = Files.createTempFile("sconej-it-nio-", ".tmp");
    Files.writeString(nio, marker + " nio");
    File relative = new File("relative.txt");
    Files.writeString(relative.toPath(), marker + " relative");
    System.out.println("io=" + io + " read=" + Files.readString(io.toPath()));
    System.out.println("nio=" + nio + " read=" + Files.readString(nio));
    System.out.println("relative=" + relative.getAbsolutePath() + " read="
        + Files.readString(Path.of("relative.txt")));
    try (var in = Files.list(nio.getParent())) {
      System.out.println("listed=" + in.map(p -> p.getFileName().toString()).sorted().toList());
    }
    System.out.println("locale=" + Locale.getDefault().toLanguageTag() + " format="
        + Locale.getDefault(Locale.Category.FORMAT).toLanguageTag() + " number="
        + String.format("%,.2f", 1234567.5));
  }
}
