package io.sconej.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one {@code sconej} command line. Dispatches to a subcommand; turns every failure into one
 * line on stderr and an exit code: 0 success, 2 usage or bad input, 3 integrity or attestation
 * violation, 4 unreachable or refusing peer, 1 anything else. Never prints a stack trace unless
 * {@code SCONEJ_DEBUG=1}.
 */
public final class Main {
  private static final Map<String, Command> COMMANDS = new TreeMap<>();

  static {
    COMMANDS.put("fs", new FsCommand());
    COMMANDS.put("cas", new CasCommand());
    COMMANDS.put("session", new SessionCommand());
    COMMANDS.put("attest", new AttestCommand());
    COMMANDS.put("platform", new PlatformCommand());
    COMMANDS.put("measure", new MeasureCommand());
    COMMANDS.put("run", new RunCommand());
    COMMANDS.put("console", new ConsoleCommand());
  }

  private Main() {}

  /** Entry point; exits with the command's code. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs a command line and returns its exit code (used by tests in-process). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
      usage(args.length == 0 ? err : out);
      return args.length == 0 ? ExitCodes.USAGE : ExitCodes.OK;
    }
    Command c = COMMANDS.get(args[0]);
    if (c == null) {
      err.println("sconej: unknown command '" + args[0] + "' (try: sconej --help)");
      return ExitCodes.USAGE;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      return c.run(rest, out, err);
    } catch (CliException e) {
      err.println("sconej " + args[0] + ": " + e.getMessage());
      return e.exitCode();
    } catch (RuntimeException | Error e) {
      err.println("sconej " + args[0] + ": internal error: " + e);
      if ("1".equals(System.getenv("SCONEJ_DEBUG"))) {
        e.printStackTrace(err);
      }
      return ExitCodes.OTHER;
    } finally {
      out.flush();
    }
  }

  private static void usage(PrintStream s) {
    s.println("usage: sconej <command> [arguments]   (docs/cli.md has the reference)");
    for (var e : COMMANDS.entrySet()) {
      s.println("  " + e.getKey() + "  " + e.getValue().summary());
    }
  }
}
