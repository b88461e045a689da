package io.sconej.cli;

import io.sconej.attestation.measure.Measurement;
import io.sconej.attestation.measure.MeasurementException;
import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
@Command(
    name = "measure",
    description = "Compute the enclave measurement (docs/formats/measurement.md); the hex value is"
        + " the last line.")
final class MeasureCommand extends CliCommand implements Callable<Integer> {
  @Option(names = "--java-home", required = true, paramLabel = "DIR")
  Path home;

  @Option(names = "--class-path", required = true, paramLabel = "CP",
      description = "':'-separated jars and directories; dir/* is every .jar in dir.")
  String classPath;

  @Option(names = "--runtime-class-path", paramLabel = "CP")
  String runtimeClassPath;

  @Option(names = "--main-class", paramLabel = "C")
  String mainClass;

  @Option(names = "--setting", paramLabel = "KEY=VALUE", description = "Repeatable.")
  List<String> settings = new ArrayList<>();

  @Option(names = "--manifest", description = "Print the manifest first.")
  boolean manifest;

  @Override
  public Integer call() throws CliException {
    if (!Files.isDirectory(home)) {
      throw CliException.usage("--java-home " + home + " is not a directory");
    }
    Measurement.Builder b =
        Measurement.builder().javaHome(home).appClassPath(classPath("class-path", classPath));
    if (runtimeClassPath != null) {
      b.runtimeClassPath(classPath("runtime-class-path", runtimeClassPath));
    }
    try {
      if (mainClass != null) {
        b.mainClass(mainClass);
      }
      for (String s : settings) {
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
    if (manifest) {
      m.manifest().forEach(out()::println);
    }
    out().println(m.hex());
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
