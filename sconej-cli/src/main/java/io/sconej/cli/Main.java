package io.sconej.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one {@code sconej} command line (picocli). Dispatches to a subcommand; turns every failure
 * into one line on stderr and an exit code: 0 success (also {@code --help} or {@code -h} on any
 * command), 2 usage or bad input, 3 integrity or attestation violation, 4 unreachable or refusing
 * peer, 1 anything else. Never prints a stack trace or a Java class name unless {@code
 * SCONEJ_DEBUG=1}. {@code @FILE} arguments are not expanded: an argument is always itself.
 */
public final class Main {
  private Main() {}

  /** The root command: only subcommands. */
  @Command(
      name = "sconej",
      description = "Secure containers for unmodified JVM applications (docs/cli.md).",
      subcommands = {
        AttestCommand.class,
        CasCommand.class,
        ConsoleCommand.class,
        FsCommand.class,
        ImageCommand.class,
        MeasureCommand.class,
        PlatformCommand.class,
        RunCommand.class,
        SessionCommand.class,
        CommandLine.HelpCommand.class
      })
  static final class Root extends CliCommand {}

  /** Entry point; exits with the command's code. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs a command line and returns its exit code (used by tests in-process). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    try {
      CommandLine cl = commandLine(out, err);
      if (args.length == 0) {
        cl.usage(err, Help.Ansi.OFF);
        return ExitCodes.USAGE;
      }
      return cl.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  static CommandLine commandLine(PrintStream out, PrintStream err) {
    CliCommand.Io io = new CliCommand.Io(out, err);
    CommandLine.IFactory factory =
        new CommandLine.IFactory() {
          @Override
          public <K> K create(Class<K> cls) throws Exception {
            K k = CommandLine.defaultFactory().create(cls);
            if (k instanceof CliCommand c) {
              c.streams = io;
            }
            return k;
          }
        };
    CommandLine cl = new CommandLine(new Root(), factory);
    cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cl.setColorScheme(Help.defaultColorScheme(Help.Ansi.OFF));
    cl.setExpandAtFiles(false);
    cl.setUsageHelpWidth(100);
    cl.setParameterExceptionHandler(Main::usageError);
    cl.setExecutionExceptionHandler(Main::failure);
    return cl;
  }

  /** A usage error: one line naming the problem, exit 2. */
  private static int usageError(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    String message = e.getMessage();
    if (message.startsWith("Missing required subcommand")) {
      message = "missing subcommand (one of: "
          + String.join(", ", cmd.getSubcommands().keySet()) + ")";
    } else if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String first = u.getUnmatched().get(0);
      if (first.startsWith("-")) {
        message = "unknown option " + first;
      } else if (!cmd.getSubcommands().isEmpty()) {
        message =
            "unknown "
                + (cmd.getParent() == null ? "" : cmd.getCommandName() + " sub")
                + "command '"
                + first
                + "' (one of: "
                + String.join(", ", cmd.getSubcommands().keySet())
                + ")";
      } else {
        message = "unexpected argument '" + first + "'";
      }
    } else if (!message.isEmpty()) {
      message = Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }
    cmd.getErr()
        .println(
            prefix(cmd)
                + oneLine(message)
                + " (see "
                + cmd.getCommandSpec().qualifiedName()
                + " --help)");
    cmd.getErr().flush();
    return ExitCodes.USAGE;
  }

  /** A failure while running: a CliException is one line with its code; anything else, 1. */
  private static int failure(Exception e, CommandLine cmd, ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    Throwable t = e instanceof CliException.Unchecked u ? u.checked() : e;
    int code;
    if (t instanceof CliException c) {
      err.println(prefix(cmd) + oneLine(c.getMessage()));
      code = c.exitCode();
    } else {
      err.println(
          prefix(cmd)
              + "internal error: "
              + oneLine(String.valueOf(t.getMessage()))
              + " (SCONEJ_DEBUG=1 prints details)");
      code = ExitCodes.OTHER;
    }
    if (debug()) {
      t.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  /** Whether {@code SCONEJ_DEBUG=1}: stack traces of failures, diagnostics only. */
  static boolean debug() {
    return "1".equals(System.getenv("SCONEJ_DEBUG"));
  }

  /** {@code "sconej fs: "} for {@code sconej fs init}: the top-level command names the tool. */
  private static String prefix(CommandLine cmd) {
    List<String> names = new java.util.ArrayList<>();
    for (CommandLine c = cmd; c != null; c = c.getParent()) {
      names.add(0, c.getCommandName());
    }
    return names.size() > 1 ? "sconej " + names.get(1) + ": " : "sconej: ";
  }

  private static String oneLine(String s) {
    return s.replace('\n', ' ').replace('\r', ' ').strip();
  }
}
