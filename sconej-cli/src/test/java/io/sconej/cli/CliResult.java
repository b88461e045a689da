package io.sconej.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** One in-process run of the real CLI ({@link Main#run}) with captured streams. */
record CliResult(int code, String out, String err) {
  /** A Java class name as it appears in an exception's toString or a stack trace. */
  private static final Pattern CLASS_NAME =
      Pattern.compile("\\b(java|javax|sun|jdk|picocli|io\\.sconej)\\.[a-z]+\\.|Exception\\b|\tat ");

  static CliResult run(String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int code =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new CliResult(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * Checks the failure contract: this exit code, one line on stderr that contains {@code
   * fragment}, and no Java class name or stack trace.
   */
  CliResult fails(int expectedCode, String fragment) {
    assertEquals(expectedCode, code, err);
    assertEquals(1, err.strip().lines().count(), "one line: " + err);
    org.junit.jupiter.api.Assertions.assertTrue(err.contains(fragment), err);
    assertFalse(CLASS_NAME.matcher(err).find(), "a class name reached the user: " + err);
    return this;
  }
}
