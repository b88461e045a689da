package io.sconej.cli;

import io.sconej.cas.client.CasConnection;
import io.sconej.console.ConsoleRecordReader;
import io.sconej.console.ConsoleStreamKind;
import io.sconej.console.ConsoleViolationException;
import io.sconej.crypto.SecretBytes;
import io.sconej.crypto.json.Json;
import io.sconej.crypto.json.JsonException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

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
final class ConsoleCommand implements Command {
  private static final String DECRYPT_USAGE =
      "sconej console decrypt (--key-file K | --cas URL --cas-ca CA.pem --identity owner.pem"
          + " --config-id SESSION/SERVICE) [--expect-kind stdout|stderr] [FILE]";
  private static final Pattern CONFIG_ID = Pattern.compile("[A-Za-z0-9_./-]{3,400}");
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
      case "decrypt" -> decrypt(rest, out, err);
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

  private int decrypt(String[] a, PrintStream out, PrintStream err) throws CliException {
    Args p =
        Args.parse(
            a,
            Set.of("key-file", "expect-kind", "cas", "cas-ca", "identity", "config-id"),
            Set.of());
    List<String> pos = p.positionals(0, 1, DECRYPT_USAGE);
    Optional<ConsoleStreamKind> expectKind = Optional.empty();
    if (p.option("expect-kind").isPresent()) {
      try {
        expectKind = Optional.of(ConsoleStreamKind.parse(p.option("expect-kind").get()));
      } catch (IllegalArgumentException e) {
        throw CliException.usage("--expect-kind: " + e.getMessage());
      }
    }
    boolean fromCas = p.option("cas").isPresent();
    if (fromCas == p.option("key-file").isPresent()) {
      throw CliException.usage("give exactly one of --key-file or --cas; usage: " + DECRYPT_USAGE);
    }
    SecretBytes key =
        fromCas ? fetchKey(p) : KeyFiles.read(Path.of(p.required("key-file")));
    String source = pos.isEmpty() ? "stdin" : pos.get(0);
    ConsoleRecordReader reader = null;
    try (InputStream in = new BufferedInputStream(open(pos), 64 * 1024)) {
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
      throw new CliException(ExitCodes.OTHER, "I/O error reading " + source + ": " + e);
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

  /** One line on stderr per run of skipped bytes (never their content). */
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
  private static SecretBytes fetchKey(Args p) throws CliException {
    String configId = p.required("config-id");
    int slash = configId.lastIndexOf('/');
    if (slash <= 0 || slash == configId.length() - 1 || !CONFIG_ID.matcher(configId).matches()) {
      throw CliException.usage("--config-id: expected SESSION/SERVICE, got '" + configId + "'");
    }
    CasOptions cas = CasOptions.parse(p);
    var id = CasOptions.identity(Path.of(p.required("identity")));
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
