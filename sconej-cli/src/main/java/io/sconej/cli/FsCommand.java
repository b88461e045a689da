package io.sconej.cli;

import java.io.PrintStream;

/** {@code sconej fs}: protected volumes: init, import, export, verify, tag, ls, cat. (Placeholder until implemented.) */
final class FsCommand implements Command {
  @Override
  public String summary() {
    return "protected volumes: init, import, export, verify, tag, ls, cat";
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) throws CliException {
    throw CliException.usage("not implemented yet");
  }
}
