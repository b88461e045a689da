package io.sconej.cli;

import java.io.PrintStream;

/** {@code sconej attest}: debugging client: attest in sim mode and print what the CAS releases. (Placeholder until implemented.) */
final class AttestCommand implements Command {
  @Override
  public String summary() {
    return "debugging client: attest in sim mode and print what the CAS releases";
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) throws CliException {
    throw CliException.usage("not implemented yet");
  }
}
