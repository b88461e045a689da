package io.sconej.cli;

import java.io.PrintStream;

/** One subcommand of {@code sconej}. */
public interface Command {
  /** One line for the usage listing. */
  String summary();

  /**
   * Runs with the arguments after the subcommand name.
   *
   * @return the exit code
   * @throws CliException for any failure to report as one line with its exit code
   */
  int run(String[] args, PrintStream out, PrintStream err) throws CliException;
}
