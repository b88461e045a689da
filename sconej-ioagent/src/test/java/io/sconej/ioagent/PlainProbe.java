package io.sconej.ioagent;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Writes {@code plain} to {@code <dir>/f.txt} with java.io and no router installed. */
public final class PlainProbe {
  private PlainProbe() {}

  public static void main(String[] args) throws IOException {
    try (FileOutputStream out = new FileOutputStream(new File(args[0], "f.txt"))) {
      out.write("plain".getBytes(StandardCharsets.UTF_8));
    }
  }
}
