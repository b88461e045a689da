package io.sconej.cli;

import java.io.PrintStream;
import picocli.CommandLine.Option;

/**
 * What every {@code sconej} command and command group has: {@code -h}/{@code --help} (usage on
 * stdout, exit 0) and the process's streams (injected by {@link Main}, so that tests can run the
 * CLI in-process). Leaf commands also implement {@code Callable<Integer>}, returning the exit code
 * or throwing a {@link CliException}.
 */
abstract class CliCommand {
  /** The streams a command writes to: stdout for results, stderr for warnings. */
  record Io(PrintStream out, PrintStream err) {}

  Io streams;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Print this usage and exit 0.")
  boolean help;

  PrintStream out() {
    return streams.out();
  }

  PrintStream err() {
    return streams.err();
  }
}
