package io.sconej.it.run;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** A plain application that prints the host-derived JVM values and writes two temporary files. */
public final class HostValuesApp {
  private HostValuesApp() {}

  /** Prints locale, encodings and the temporary directory; writes a marker into temp files. */
  public static void main(String[] args) throws Exception {
    System.out.println("tmpdir=" + System.getProperty("java.io.tmpdir")
        + " language=" + System.getProperty("user.language")
        + " country=" + System.getProperty("user.country")
        + " locale=" + Locale.getDefault().toLanguageTag()
        + " format=" + Locale.getDefault(Locale.Category.FORMAT).toLanguageTag()
        + " file.encoding=" + System.getProperty("file.encoding")
        + " out=" + System.out.charset() + " err=" + System.err.charset() + " ü");
    // Built at run time: no class file or AOT configuration holds the marker as a constant.
    String marker = String.join("-", "TEMP", "PLAINTEXT", "MARKER");
    // As libraries do: a scratch file in the directory java.io.tmpdir names.
    File io = new File(System.getProperty("java.io.tmpdir"), "scratch-io.tmp");
    Files.writeString(io.toPath(), marker + " io");
    Path nio = Path.of(System.getProperty("java.io.tmpdir"), "scratch-nio.tmp");
    try (var w = new java.io.FileWriter(nio.toFile(), java.nio.charset.StandardCharsets.UTF_8)) {
      w.write(marker + " nio");
    }
    System.out.println("temp files " + io + " " + nio);
  }
}
