package io.sconej.cli;

import io.sconej.cas.client.CasConnection;
import io.sconej.crypto.json.Json;
import io.sconej.crypto.json.JsonException;
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
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sconej console}: captured console streams (docs/formats/console.md). {@code decrypt}
 * writes plaintext record by record as it verifies and exits 0 only on a complete stream; any
 * violation (truncation, reordering, drop, duplication, tampering, wrong key, not a console stream)
 * exits 3 with one line naming the record and the violation, after the plaintext of every record
 * before it and never any of the violated record. The key comes from a key file or, with {@code
 * --cas ... --config-id SESSION/SERVICE}, from the CAS ({@code GET /v1/console-keys/...}, owner
 * identity; exit 4 if the CAS is unreachable or refuses) and is then held in memory only, never
 * written or printed. {@code keygen} writes a fresh key file.
 */
@Command(
    name = "console",
    description = "Console streams: decrypt (verify a captured stdout or stderr), keygen.",
    subcommands = {ConsoleCommand.Decrypt.class, ConsoleCommand.Keygen.class})
final class ConsoleCommand extends CliCommand {
  private static final Pattern CONFIG_ID = Pattern.compile("[A-Za-z0-9_./-]{3,400}");

  @Command(name = "keygen", description = "Write a fresh 32-byte console key (64 hex characters,"
      + " mode 0600; never overwritten).")
  static final class Keygen extends CliCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "KEYFILE")
    Path file;

    @Override
    public Integer call() throws CliException {
      KeyFiles.create(file).destroy();
      out().println("console key written to " + file + " (mode 0600)");
      return ExitCodes.OK;
    }
  }

  @Command(name = "decrypt", description = "Verify a captured stream (FILE, or stdin) record by"
      + " record and print its plaintext; exit 0 only if it ends with a valid end record. The key"
      + " comes from --key-file or, with --cas, from the CAS as the owner.")
  static final class Decrypt extends CliCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "FILE",
        description = "A regular file; default: stdin (for a pipe or a FIFO).")
    Path file;

    @Option(names = "--key-file", paramLabel = "KEYFILE")
    Path keyFile;

    @Option(names = "--expect-kind", paramLabel = "stdout|stderr")
    String expectKind;

    @Option(names = "--cas", paramLabel = "URL", description = "https://HOST[:PORT].")
    String cas;

    @Option(names = "--cas-ca", paramLabel = "CA.pem")
    Path casCa;

    @Option(names = "--identity", paramLabel = "owner.pem")
    Path identity;

    @Option(names = "--config-id", paramLabel = "SESSION/SERVICE")
    String configId;

    @Override
    public Integer call() throws CliException {
      return decrypt(this, out(), err());
    }
  }

  /**
   * The lines sconej writes in plaintext before the console shield is installed (the mode's
   * protection statement): a capture that starts with exactly these is not tampered with.
   */
  static Set<String> knownStartUpLines() {
    Set<String> lines = new java.util.HashSet<>();
    for (io.sconej.attestation.TeeMode m : io.sconej.attestation.TeeMode.values()) {
      lines.add("sconej: " + m.protectionStatement());
    }
    return Set.copyOf(lines);
  }

  private static int decrypt(Decrypt p, PrintStream out, PrintStream err) throws CliException {
    Optional<ConsoleStreamKind> expectKind = Optional.empty();
    if (p.expectKind != null) {
      try {
        expectKind = Optional.of(ConsoleStreamKind.parse(p.expectKind));
      } catch (IllegalArgumentException e) {
        throw CliException.usage("--expect-kind: " + e.getMessage());
      }
    }
    boolean fromCas = p.cas != null;
    if (fromCas == (p.keyFile != null)) {
      throw CliException.usage("give exactly one of --key-file or --cas");
    }
    if (p.file != null) {
      if (!Files.exists(p.file)) {
        throw CliException.usage("no such file: " + p.file);
      }
      if (Files.isDirectory(p.file)) {
        throw CliException.usage(p.file + " is a directory, not a captured stream");
      }
      if (!Files.isRegularFile(p.file)) { // a FIFO could block forever, a device never end
        throw CliException.usage(p.file + " is not a regular file (a FIFO, device or socket is"
            + " refused; give a stream on stdin instead)");
      }
    }
    SecretBytes key = fromCas ? fetchKey(p) : KeyFiles.read(p.keyFile);
    String source = p.file == null ? "stdin" : p.file.toString();
    ConsoleRecordReader reader = null;
    try (InputStream in = new BufferedInputStream(open(p.file), 64 * 1024)) {
      reader = ConsoleRecordReader.open(in, key, knownStartUpLines());
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
      report(reader, source, err);
      throw CliException.violation(source + ": " + e.getMessage());
    } catch (NoSuchFileException e) {
      throw CliException.usage("no such file: " + e.getMessage());
    } catch (IOException e) {
      throw new CliException(ExitCodes.OTHER, "I/O error reading " + source + ": "
          + e.getMessage());
    } finally {
      key.destroy();
    }
    if (out.checkError()) {
      throw new CliException(ExitCodes.OTHER, "cannot write the plaintext to stdout");
    }
    report(reader, source, err);
    if (reader.injected()) {
      throw CliException.violation(
          source + ": the stream is complete, but bytes that are not part of it were skipped");
    }
    return ExitCodes.OK;
  }

  private static void report(ConsoleRecordReader reader, String source, PrintStream err) {
    if (reader == null) {
      return;
    }
    for (var i : reader.injections()) {
      err.println("sconej console: " + (i.known() ? "note: " : "") + source + ": " + i.message());
    }
  }

  /**
   * The console key of {@code --config-id SESSION/SERVICE} from the CAS, as the owner identity; the
   * hex is parsed straight into a {@link SecretBytes} and never leaves memory.
   */
  private static SecretBytes fetchKey(Decrypt p) throws CliException {
    String configId = p.configId;
    if (configId == null) {
      throw CliException.usage("option --config-id is required with --cas");
    }
    int slash = configId.lastIndexOf('/');
    if (slash <= 0 || slash == configId.length() - 1 || !CONFIG_ID.matcher(configId).matches()) {
      throw CliException.usage("--config-id: expected SESSION/SERVICE, got '" + configId + "'");
    }
    CasOptions cas = CasOptions.parse(p.cas, p.casCa);
    var id = CasOptions.identity(p.identity);
    CasConnection.Response r;
    try (CasConnection c = cas.connect(Optional.of(id))) {
      r = c.request("GET", "/v1/console-keys/" + configId, "", new byte[0]);
    } catch (IOException e) {
      throw CasOptions.failure(e);
    }
    if (r.status() != 200) {
      throw CliException.peer(
          "CAS refused the console key of "
              + configId
              + " ("
              + r.status()
              + "): no such session or service, no access, or an unprotected console");
    }
    try {
      String hex = Json.string(r.json(), "key");
      if (hex.length() != 64) {
        throw new JsonException("field 'key': expected 32 bytes");
      }
      byte[] raw = HexFormat.of().parseHex(hex);
      try {
        return SecretBytes.copyOf(raw);
      } finally {
        Arrays.fill(raw, (byte) 0);
      }
    } catch (JsonException | IllegalArgumentException e) {
      throw CliException.peer("unexpected CAS answer for the console key (not a 32-byte hex key)");
    }
  }

  /** FILE, or stdin wrapped so that closing it leaves the process's stdin open. */
  private static InputStream open(Path file) throws IOException {
    if (file != null) {
      return Files.newInputStream(file);
    }
    return new java.io.FilterInputStream(System.in) {
      @Override
      public void close() {
        // stdin belongs to the process, not to this command.
      }
    };
  }
}
