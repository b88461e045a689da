package io.sconej.cli;

import io.sconej.attestation.measure.Measurement;
import io.sconej.attestation.measure.MeasurementException;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code sconej measure}: the canonical enclave measurement ({@code docs/formats/measurement.md}).
 *
 * <pre>
 * sconej measure --java-home DIR --class-path CP [--runtime-class-path CP] [--main-class C]
 *                [--setting key=value ...] [--manifest]
 * </pre>
 *
 * Class paths are {@code :}-separated jars and directories; {@code dir/*} means every {@code .jar}
 * in {@code dir}. Prints the manifest with {@code --manifest}, and always the measurement in hex as
 * the last line. Exit 2 for bad arguments or inputs that cannot be measured (the message names the
 * file), 1 for other I/O failures.
 */
final class MeasureCommand implements Command {
  private static final String USAGE =
      "sconej measure --java-home DIR --class-path CP [--runtime-class-path CP]"
          + " [--main-class C] [--setting key=value ...] [--manifest]";

  @Override
  public String summary() {
    return "compute the enclave measurement";
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) throws CliException {
    Args a =
        Args.parse(
            args,
            Set.of("java-home", "class-path", "runtime-class-path", "main-class", "setting"),
            Set.of("manifest"));
    a.positionals(0, 0, USAGE);
    Path home = Path.of(a.required("java-home"));
    if (!Files.isDirectory(home)) {
      throw CliException.usage("--java-home " + home + " is not a directory");
    }
    Measurement.Builder b =
        Measurement.builder()
            .javaHome(home)
            .appClassPath(classPath("class-path", a.required("class-path")));
    if (a.option("runtime-class-path").isPresent()) {
      b.runtimeClassPath(classPath("runtime-class-path", a.required("runtime-class-path")));
    }
    try {
      if (a.option("main-class").isPresent()) {
        b.mainClass(a.required("main-class"));
      }
      for (String s : a.all("setting")) {
        int eq = s.indexOf('=');
        if (eq <= 0) {
          throw CliException.usage("--setting needs key=value, got '" + s + "'");
        }
        b.setting(s.substring(0, eq), s.substring(eq + 1));
      }
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
    Measurement m;
    try {
      m = b.build();
    } catch (MeasurementException e) {
      throw CliException.usage(e.getMessage());
    } catch (IOException e) {
      throw new CliException(ExitCodes.OTHER, e.getMessage());
    }
    if (a.flag("manifest")) {
      m.manifest().forEach(out::println);
    }
    out.println(m.hex());
    return ExitCodes.OK;
  }

  /** Splits a class path; {@code dir/*} expands to the jars of {@code dir} in name order. */
  static List<Path> classPath(String option, String cp) throws CliException {
    List<Path> out = new ArrayList<>();
    for (String e : cp.split(File.pathSeparator, -1)) {
      if (e.isEmpty()) {
        throw CliException.usage("--" + option + " has an empty element");
      }
      if (e.equals("*") || e.endsWith(File.separator + "*")) {
        Path d =
            Path.of(
                e.substring(0, e.length() - 1).isEmpty() ? "." : e.substring(0, e.length() - 1));
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(d, "*.{jar,JAR}")) {
          s.forEach(jars::add);
        } catch (IOException ex) {
          throw CliException.usage("--" + option + ": cannot list " + d + ": " + ex.getMessage());
        }
        jars.sort(null);
        out.addAll(jars);
      } else {
        out.add(Path.of(e));
      }
    }
    return out;
  }
}
