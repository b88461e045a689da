package io.sconej.cli;

import io.sconej.console.ConsoleRecordReader;
import io.sconej.console.ConsoleStreamKind;
import io.sconej.console.ConsoleViolationException;
import io.sconej.crypto.SecretBytes;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code sconej console}: captured console streams (docs/formats/console.md). {@code decrypt}
 * writes plaintext record by record as it verifies and exits 0 only on a complete stream; any
 * violation (truncation, reordering, drop, duplication, tampering, wrong key, not a console stream)
 * exits 3 with one line naming the record and the violation, after the plaintext of every record
 * before it and never any of the violated record. {@code keygen} writes a fresh key file.
 */
final class ConsoleCommand implements Command {
  private static final String DECRYPT_USAGE =
      "sconej console decrypt --key-file K [--expect-kind stdout|stderr] [FILE]";
  private static final String KEYGEN_USAGE = "sconej console keygen --out K";

  @Override
  public String summary() {
    return "console streams: decrypt (verify a captured stdout/stderr), keygen";
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) throws CliException {
    if (args.length == 0) {
      throw CliException.usage("usage: " + DECRYPT_USAGE + " | " + KEYGEN_USAGE);
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    return switch (args[0]) {
      case "decrypt" -> decrypt(rest, out);
      case "keygen" -> keygen(rest, out);
      default ->
          throw CliException.usage(
              "unknown console subcommand '" + args[0] + "' (decrypt, keygen)");
    };
  }

  private int keygen(String[] a, PrintStream out) throws CliException {
    Args p = Args.parse(a, Set.of("out"), Set.of());
    p.positionals(0, 0, KEYGEN_USAGE);
    Path file = Path.of(p.required("out"));
    KeyFiles.create(file).destroy();
    out.println("console key written to " + file + " (mode 0600)");
    return ExitCodes.OK;
  }

  private int decrypt(String[] a, PrintStream out) throws CliException {
    Args p = Args.parse(a, Set.of("key-file", "expect-kind"), Set.of());
    List<String> pos = p.positionals(0, 1, DECRYPT_USAGE);
    Optional<ConsoleStreamKind> expectKind = Optional.empty();
    if (p.option("expect-kind").isPresent()) {
      try {
        expectKind = Optional.of(ConsoleStreamKind.parse(p.option("expect-kind").get()));
      } catch (IllegalArgumentException e) {
        throw CliException.usage("--expect-kind: " + e.getMessage());
      }
    }
    SecretBytes key = KeyFiles.read(Path.of(p.required("key-file")));
    String source = pos.isEmpty() ? "stdin" : pos.get(0);
    try (InputStream in = new BufferedInputStream(open(pos), 64 * 1024)) {
      ConsoleRecordReader reader = ConsoleRecordReader.open(in, key);
      if (expectKind.isPresent() && expectKind.get() != reader.kind()) {
        throw CliException.violation(
            "console stream header: stream is "
                + reader.kind().label()
                + ", expected "
                + expectKind.get().label());
      }
      reader.transferTo(out);
    } catch (ConsoleViolationException e) {
      out.flush();
      throw CliException.violation(source + ": " + e.getMessage());
    } catch (NoSuchFileException e) {
      throw CliException.usage("no such file: " + e.getMessage());
    } catch (IOException e) {
      throw new CliException(ExitCodes.OTHER, "I/O error reading " + source + ": " + e);
    } finally {
      key.destroy();
    }
    if (out.checkError()) {
      throw new CliException(ExitCodes.OTHER, "cannot write the plaintext to stdout");
    }
    return ExitCodes.OK;
  }

  /** FILE, or stdin wrapped so that closing it leaves the process's stdin open. */
  private static InputStream open(List<String> pos) throws IOException {
    if (!pos.isEmpty()) {
      return Files.newInputStream(Path.of(pos.get(0)));
    }
    return new java.io.FilterInputStream(System.in) {
      @Override
      public void close() {
        // stdin belongs to the process, not to this command.
      }
    };
  }
}
