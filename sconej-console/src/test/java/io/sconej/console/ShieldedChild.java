package io.sconej.console;

import io.sconej.crypto.Hex;
import io.sconej.crypto.SecretBytes;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Child JVM main for {@link ConsoleShieldChildJvmTest}: installs the shield with the key in {@code
 * args[0]}, prints, then ends as {@code args[1]} says: clean, exit, throw or hang.
 */
public final class ShieldedChild {
  static final String MARKER = "PLAINTEXT-MARKER-7c1e";
  static final int LINES = 100;

  private ShieldedChild() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    SecretBytes key = SecretBytes.copyOf(Hex.decode(Files.readString(Path.of(args[0])), "key"));
    ConsoleShield shield =
        args[1].equals("stdout-only")
            ? ConsoleShield.install(key, java.util.Set.of(ConsoleStreamKind.STDOUT))
            : ConsoleShield.install(key);
    if (args[1].equals("twice")) {
      try {
        ConsoleShield.install(key);
        throw new AssertionError("second install accepted");
      } catch (IllegalStateException e) {
        System.out.println("second install refused");
      }
    }
    for (int i = 0; i < LINES; i++) {
      System.out.println("out line " + i + " " + MARKER);
    }
    System.err.println("err line ünï " + MARKER);
    switch (args[1]) {
      case "clean" -> System.out.print("no newline at the end");
      case "twice", "stdout-only" -> shield.originalOut().println("plain " + MARKER);
      case "exit" -> System.exit(7);
      case "throw" -> throw new IllegalStateException("child failure " + MARKER);
      case "hang" -> {
        System.out.println("READY");
        Thread.sleep(120_000);
      }
      default -> throw new IllegalArgumentException(args[1]);
    }
  }
}
