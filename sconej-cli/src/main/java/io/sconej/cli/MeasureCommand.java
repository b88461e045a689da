package io.sconej.cli;

import java.io.PrintStream;

/** {@code sconej measure}: compute the enclave measurement. (Placeholder until implemented.) */
final class MeasureCommand implements Command {
  @Override
  public String summary() {
    return "compute the enclave measurement";
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) throws CliException {
    throw CliException.usage("not implemented yet");
  }
}
