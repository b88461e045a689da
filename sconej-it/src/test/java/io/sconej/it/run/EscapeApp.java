package io.sconej.it.run;

import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A plain application that writes inside its volume, then tries two writes outside it. */
public final class EscapeApp {
  private EscapeApp() {}

  /** args: volume dir, a host path for NIO, a host path for java.io. */
  public static void main(String[] args) throws Exception {
    Files.writeString(Path.of(args[0], "inside.txt"), "inside");
    System.out.println("inside ok");
    try {
      Files.writeString(Path.of(args[1]), "escaped");
      System.out.println("nio escaped");
    } catch (Exception e) {
      System.out.println("nio refused " + e.getClass().getSimpleName());
    }
    try (FileOutputStream out = new FileOutputStream(args[2])) {
      out.write(1);
      System.out.println("io escaped");
    } catch (Exception e) {
      System.out.println("io refused " + e.getClass().getSimpleName());
    }
  }
}
