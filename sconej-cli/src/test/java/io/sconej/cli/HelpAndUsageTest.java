package io.sconej.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command and subcommand prints its usage with --help and -h and exits 0. */
class HelpAndUsageTest {
  /** Every command path below {@code sconej}, e.g. {@code [fs, init]}, without {@code help}. */
  static List<List<String>> commandPaths() {
    PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
    List<List<String>> paths = new ArrayList<>();
    collect(Main.commandLine(sink, sink), new ArrayList<>(), paths);
    return paths;
  }

  private static void collect(CommandLine c, List<String> path, List<List<String>> out) {
    for (var e : c.getSubcommands().entrySet()) {
      if (e.getKey().equals("help")) {
        continue;
      }
      List<String> p = new ArrayList<>(path);
      p.add(e.getKey());
      out.add(p);
      collect(e.getValue(), p, out);
    }
  }

  @Test
  void everyCommandAndSubcommandPrintsItsUsageAndExits0() {
    List<List<String>> paths = commandPaths();
    // The commands of docs/cli.md and their subcommands are all there.
    for (String p : List.of("run", "fs", "fs init", "fs import", "fs export", "fs verify",
        "fs tag", "fs ls", "fs cat", "session", "session identity", "session create",
        "session update", "session show", "session history", "console", "console decrypt",
        "console keygen", "cas", "cas serve", "platform", "platform init", "platform show",
        "attest", "measure", "image", "image build")) {
      assertTrue(paths.contains(List.of(p.split(" "))), p + " missing from " + paths);
    }
    for (List<String> path : paths) {
      for (String flag : List.of("--help", "-h")) {
        List<String> args = new ArrayList<>(path);
        args.add(flag);
        CliResult r = CliResult.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), args + ": " + r.err());
        assertTrue(r.out().startsWith("Usage: sconej " + String.join(" ", path)),
            args + ": " + r.out());
        assertEquals("", r.err(), args.toString());
      }
    }
    assertEquals(0, CliResult.run("--help").code());
    assertEquals(0, CliResult.run("help", "fs", "init").code());
  }

  @Test
  void usageErrorsAreOneLineWithExit2() {
    CliResult.run("fs").fails(2, "missing subcommand (one of: init");
    CliResult.run("fs", "frobnicate").fails(2, "unknown fs subcommand 'frobnicate'");
    CliResult.run("nonsense").fails(2, "unknown command 'nonsense'");
    CliResult.run("fs", "verify", "v", "--key-file", "k", "--bogus").fails(2,
        "unknown option --bogus");
    CliResult.run("fs", "verify", "v").fails(2, "--key-file");
    CliResult.run("fs", "verify", "v", "--key-file", "k", "--key-file", "k").fails(2,
        "should be specified only once");
    CliResult.run("fs", "init", "v", "--new-key", "k", "--chunk-size", "abc").fails(2,
        "'abc' is not an int");
    CliResult.run("run", "--class-path", "x.jar", "--ethreads", "many").fails(2,
        "--ethreads must be a whole number");
    CliResult.run("cas", "serve", "--data", "d", "--port", "99999").fails(2, "--port");
    // An @FILE argument is itself, never the content of FILE.
    CliResult.run("fs", "verify", "@/etc/hostname", "--key-file", "k").fails(2,
        "@/etc/hostname");
    assertEquals(2, CliResult.run().code());
  }
}
