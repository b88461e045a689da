package io.sconej.runtime;

import io.sconej.attestation.TeeMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks, before the enclave contacts its CAS, that the enclave JVM runs the configuration that
 * was measured: no launch-relevant environment variable, core dumps off, and exactly the JVM
 * options and class path that {@link EnclaveJvmOptions} defines for the launch settings (in sim
 * mode with a platform directory, also the AOT-cache variants bin/sconej launches with). Each
 * refusal is a {@link LaunchException} with exit code 3 and one line naming what differs.
 *
 * <p>Restrictions: in sim mode this is code in a JVM the host controls (an agent loaded before
 * it could patch it out); it stops a host that merely sets a variable or adds an option. In the
 * hardware modes the loader pins argv and the environment (docs/formats/measurement.md).
 */
final class LaunchCheck {
  /** The JVM options bin/sconej puts first when it uses a sim-mode AOT cache. */
  static final String AOT_QUIET = "-Xlog:aot*=off,cds*=off";

  private static final Pattern AOT_FILE = Pattern.compile("[0-9a-f]{32}\\.aot");
  private static final Pattern AOT_CONF = Pattern.compile("[0-9a-f]{32}\\.conf\\.[0-9]+");

  private LaunchCheck() {}

  /** Refuses an environment that sets a launch-relevant variable (named, not its value). */
  static void environment(Map<String, String> env) throws LaunchException {
    for (String name : new TreeSet<>(env.keySet())) {
      if (EnclaveJvmOptions.refusedVariable(name)) {
        throw new LaunchException(3, "the launch environment sets " + name + ", which changes"
            + " what the enclave JVM loads; the enclave starts only without it (unset it)");
      }
    }
  }

  /**
   * Refuses core dumps: {@code limits} is {@code /proc/self/limits}; its "Max core file size"
   * soft limit must be 0 (bin/sconej and RunCommand start the enclave with {@code ulimit -c 0}).
   */
  static void coreDumps(String limits) throws LaunchException {
    for (String line : limits.split("\n")) {
      if (line.startsWith("Max core file size")) {
        String[] f = line.substring("Max core file size".length()).trim().split("\\s+");
        if (f.length >= 1 && f[0].equals("0")) {
          return;
        }
        throw new LaunchException(3, "core dumps are enabled (core file size limit "
            + (f.length >= 1 ? f[0] : "?") + "): a core dump would carry every secret; start"
            + " the enclave with ulimit -c 0");
      }
    }
    throw new LaunchException(3, "cannot read the core file size limit of the enclave process");
  }

  /**
   * Refuses a JVM whose input arguments or class path are not those the launch settings imply.
   *
   * @param inputArguments the JVM's input arguments (RuntimeMXBean)
   * @param classPath the property {@code java.class.path}
   */
  static void jvm(LaunchArgs la, List<String> inputArguments, String classPath)
      throws LaunchException {
    String expectedCp = EnclaveJvmOptions.join(la.appClassPath());
    if (!expectedCp.equals(classPath)) {
      throw new LaunchException(3, "the enclave JVM's class path is '" + shorten(classPath)
          + "', not the measured --app-class-path '" + shorten(expectedCp) + "'");
    }
    List<String> expected =
        EnclaveJvmOptions.inputArguments(la.ethreads(), la.hostCalls(), la.runtimeClassPath());
    List<String> actual = inputArguments;
    if (la.mode() == TeeMode.SIM && la.platformDir() != null) {
      actual = withoutAotVariant(la, inputArguments, expected);
    }
    if (actual.equals(expected)) {
      return;
    }
    for (String a : actual) {
      if (!expected.contains(a)) {
        throw new LaunchException(3, "the enclave JVM was started with the unmeasured option '"
            + shorten(a) + "'");
      }
    }
    for (String e : expected) {
      if (!actual.contains(e)) {
        throw new LaunchException(3, "the enclave JVM was started without the measured option '"
            + shorten(e) + "'");
      }
    }
    throw new LaunchException(3, "the enclave JVM's options are not in the measured order: "
        + shorten(String.join(" ", actual)));
  }

  /**
   * The input arguments with bin/sconej's sim-mode AOT-cache variant (docs/cli.md) taken back to
   * the plain form, if they carry one whose files lie in the platform directory's
   * {@code aot-cache}; else unchanged.
   */
  private static List<String> withoutAotVariant(LaunchArgs la, List<String> args,
      List<String> expected) {
    Path dir = la.platformDir().toAbsolutePath().normalize().resolve("aot-cache");
    if (args.size() == expected.size() + 2 && args.get(0).startsWith("-XX:AOTCache=")
        && args.get(1).equals(AOT_QUIET)) {
      String cache = args.get(0).substring("-XX:AOTCache=".length());
      if (!inDir(dir, cache, AOT_FILE)) {
        return args;
      }
      String patches = cache.substring(0, cache.length() - ".aot".length()) + ".patches";
      List<String> rest = new ArrayList<>(args.subList(2, args.size()));
      if (rest.get(1).equals(expected.get(1) + "=patches=" + patches)) {
        rest.set(1, expected.get(1));
      }
      return rest;
    }
    List<String> record = List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=", AOT_QUIET,
        "-XX:+UnlockDiagnosticVMOptions", "-XX:-DisplayVMOutput", "-XX:-AOTRecordTraining");
    if (args.size() == expected.size() + record.size() && args.get(0).equals(record.get(0))
        && args.get(1).startsWith(record.get(1))
        && inDir(dir, args.get(1).substring(record.get(1).length()), AOT_CONF)
        && args.subList(2, record.size()).equals(record.subList(2, record.size()))) {
      return args.subList(record.size(), args.size());
    }
    return args;
  }

  private static boolean inDir(Path dir, String file, Pattern name) {
    Path p = Path.of(file).toAbsolutePath().normalize();
    return dir.equals(p.getParent()) && name.matcher(p.getFileName().toString()).matches();
  }

  private static String shorten(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "...";
  }
}
