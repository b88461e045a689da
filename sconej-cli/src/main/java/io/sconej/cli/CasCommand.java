package io.sconej.cli;

import java.io.PrintStream;

/** {@code sconej cas}: run the configuration and attestation service. (Placeholder until implemented.) */
final class CasCommand implements Command {
  @Override
  public String summary() {
    return "run the configuration and attestation service";
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) throws CliException {
    throw CliException.usage("not implemented yet");
  }
}
