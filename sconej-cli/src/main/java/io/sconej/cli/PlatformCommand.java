package io.sconej.cli;

import java.io.PrintStream;

/** {@code sconej platform}: sim platform key and certificate: init. (Placeholder until implemented.) */
final class PlatformCommand implements Command {
  @Override
  public String summary() {
    return "sim platform key and certificate: init";
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) throws CliException {
    throw CliException.usage("not implemented yet");
  }
}
