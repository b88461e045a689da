package io.sconej.cli;

import java.io.PrintStream;

/** {@code sconej session}: create, show, update and list history of CAS sessions. (Placeholder until implemented.) */
final class SessionCommand implements Command {
  @Override
  public String summary() {
    return "create, show, update and list history of CAS sessions";
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) throws CliException {
    throw CliException.usage("not implemented yet");
  }
}
