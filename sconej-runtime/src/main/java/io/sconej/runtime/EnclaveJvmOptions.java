package io.sconej.runtime;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The enclave JVM's options: the one definition that {@code RunCommand} launches with, that
 * {@code bin/sconej} mirrors (RunLauncherParityTest), that enters the measurement (the setting
 * {@code jvm-options}, as {@link #MEASURED}) and that {@link LaunchCheck} compares the running
 * JVM's effective configuration with. Adding a flag is one line in {@link #TEMPLATE} (and the same
 * line in {@code bin/sconej}); it changes every measurement.
 *
 * <p>The template names host paths by placeholder, so the measurement stays independent of where
 * the jars are (their content is measured): {@code {runtime-class-path}} (the runtime's jars,
 * joined by {@code :}), {@code {ioagent-jar}} and {@code {runtime-jar}} (its second and first
 * jar). {@code {ethreads}} and {@code {hostcalls}} are the measured launch settings of those names.
 * The application class path follows as {@code -cp {app-class-path}}.
 */
public final class EnclaveJvmOptions {
  /** The JVM options before {@code -cp}, in launch order. */
  static final List<String> TEMPLATE = List.of(
      // The runtime on the boot class path: the application's class path cannot shadow it, and
      // an AOT cache can hold it (docs/benchmarks-startup.md).
      "-Xbootclasspath/a:{runtime-class-path}",
      "-javaagent:{ioagent-jar}", // java.io interception (sconej-ioagent)
      "-javaagent:{runtime-jar}", // the runtime's Instrumentation
      "-Djava.nio.file.spi.DefaultFileSystemProvider="
          + "io.sconej.fileshield.nio.SconejDefaultFileSystemProvider",
      "--enable-native-access=ALL-UNNAMED",
      // No attach listener (the host could load an agent through it), no hsperfdata file (JVM
      // internals in host-visible shared memory): docs/threat-model.md.
      "-XX:+DisableAttachMechanism",
      "-XX:-UsePerfData",
      // No core dump and no hs_err file (both would carry secrets to the host's disk); the
      // runtime also sets RLIMIT_CORE to 0 and the process non-dumpable (CoreDumps).
      "-XX:-CreateCoredumpOnCrash",
      "-XX:ErrorFile=/dev/null",
      // No VM "tty" output (the SIGQUIT thread dump) into a protected stdout: console.md.
      "-XX:+UnlockDiagnosticVMOptions",
      "-XX:-DisplayVMOutput",
      "-XX:ActiveProcessorCount={ethreads}",
      "-Djdk.virtualThreadScheduler.parallelism={ethreads}",
      "-Dsconej.hostcalls.mode={hostcalls}");

  /** The measured form: the template and {@code -cp {app-class-path}}, joined by spaces. */
  public static final String MEASURED = String.join(" ", TEMPLATE) + " -cp {app-class-path}";

  /**
   * Variables the JVM, its launcher or the dynamic loader read to load code, add options or print
   * internals (found in libjvm.so, libjli.so and the java launcher); with any of them, or any
   * {@code LD_*} variable, set the enclave refuses to start, and bin/sconej and RunCommand remove
   * them from the enclave's environment.
   */
  public static final Set<String> REFUSED_VARIABLES = Set.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS",
      "_JAVA_OPTIONS", "JAVA_OPTIONS", "JDK_AOT_VM_OPTIONS", "CLASSPATH", "_JAVA_LAUNCHER_DEBUG",
      "_JAVA_SR_SIGNUM", "_JAVA_SPLASH_FILE", "_JAVA_SPLASH_JAR", "JDK_ALTERNATE_VM",
      "_JVM_DWARF_PATH", "GLIBC_TUNABLES", "GLIBCXX_TUNABLES");

  private EnclaveJvmOptions() {}

  /** Whether the enclave refuses to start with variable {@code name} set. */
  public static boolean refusedVariable(String name) {
    return REFUSED_VARIABLES.contains(name) || name.startsWith("LD_");
  }

  /**
   * The options to launch with: the template filled in, then {@code -cp} and the application
   * class path ({@code runtimeClassPath} starts with sconej-runtime, then sconej-ioagent).
   */
  public static List<String> of(int ethreads, String hostCalls, List<Path> runtimeClassPath,
      List<Path> appClassPath) {
    List<String> out = inputArguments(ethreads, hostCalls, runtimeClassPath);
    out.add("-cp");
    out.add(join(appClassPath));
    return out;
  }

  /**
   * What the JVM reports as its input arguments when launched with {@link #of}: the filled-in
   * template ({@code -cp} becomes the property {@code java.class.path}, which is not listed).
   */
  static List<String> inputArguments(int ethreads, String hostCalls,
      List<Path> runtimeClassPath) {
    if (runtimeClassPath.size() < 2) {
      throw new IllegalArgumentException("the runtime class path needs sconej-runtime and"
          + " sconej-ioagent first");
    }
    List<String> out = new ArrayList<>(TEMPLATE.size() + 2);
    for (String t : TEMPLATE) {
      out.add(t.replace("{runtime-class-path}", join(runtimeClassPath))
          .replace("{ioagent-jar}", runtimeClassPath.get(1).toString())
          .replace("{runtime-jar}", runtimeClassPath.get(0).toString())
          .replace("{ethreads}", Integer.toString(ethreads))
          .replace("{hostcalls}", hostCalls));
    }
    return out;
  }

  /** A class path as the JVM takes it. */
  static String join(List<Path> classPath) {
    return String.join(File.pathSeparator, classPath.stream().map(Path::toString).toList());
  }
}
