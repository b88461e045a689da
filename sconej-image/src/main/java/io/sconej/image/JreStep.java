package io.sconej.image;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.spi.ToolProvider;

/**
 * Links a JRE holding only the modules the runtime and the application need: those {@code jdeps}
 * finds in their jars, plus the ones asked for ({@code --add-modules}: modules reached only by
 * reflection or service loading). Uses the JDK tools of this JVM, in process. The result is
 * reproducible: the same modules give the same files (jlink sorts its input), whatever the
 * order in which they were named.
 */
final class JreStep implements Callable<List<String>> {
  private final List<Path> jars;
  private final List<String> addModules;
  private final Path output;

  /** Links into {@code output} (which must not exist) a JRE for {@code jars}. */
  JreStep(List<Path> jars, List<String> addModules, Path output) {
    this.jars = List.copyOf(jars);
    this.addModules = List.copyOf(addModules);
    this.output = output;
  }

  /** Links the JRE; returns the modules it holds, in name order. */
  @Override
  public List<String> call() throws ImageException {
    for (String m : addModules) {
      if (java.lang.module.ModuleFinder.ofSystem().find(m).isEmpty()) {
        throw ImageException.badInput("module " + m + " (--add-modules) is not a module of the"
            + " JDK " + System.getProperty("java.home"));
      }
    }
    TreeSet<String> modules = new TreeSet<>(addModules);
    modules.addAll(jdeps());
    run("jlink", List.of("--add-modules", String.join(",", modules), "--strip-debug",
        "--no-header-files", "--no-man-pages", "--output", output.toString()), "link the JRE");
    return List.copyOf(modules);
  }

  /** The JDK modules the jars use, as jdeps finds them. */
  private List<String> jdeps() throws ImageException {
    List<String> args = new ArrayList<>(List.of("--print-module-deps", "--multi-release",
        Integer.toString(Runtime.version().feature()), "--ignore-missing-deps"));
    jars.forEach(j -> args.add(j.toString()));
    String out = run("jdeps", args, "find the modules the jars need (jdeps)").strip();
    List<String> found = new ArrayList<>();
    for (String m : out.lines().reduce((a, b) -> b).orElse("").split(",")) {
      if (!m.isBlank()) {
        found.add(m.strip());
      }
    }
    if (found.isEmpty()) {
      throw ImageException.badInput("jdeps found no module for the jars: " + oneLine(out));
    }
    return found;
  }

  private static String run(String tool, List<String> args, String what) throws ImageException {
    ToolProvider t = ToolProvider.findFirst(tool).orElseThrow(() -> ImageException.badInput(
        "cannot " + what + ": this Java has no " + tool + " (a JDK is needed, not a JRE)"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      rc = t.run(o, e, args.toArray(String[]::new));
    }
    String text = out.toString(StandardCharsets.UTF_8);
    if (rc != 0) {
      String why = oneLine(err.toString(StandardCharsets.UTF_8) + " " + text);
      // jdeps names a class or module it cannot resolve: the jars are at fault, not the machine.
      throw tool.equals("jdeps")
          ? ImageException.badInput("cannot " + what + ": " + why)
          : ImageException.failed("cannot " + what + ": " + why, null);
    }
    return text;
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s+", " ").strip();
  }
}
