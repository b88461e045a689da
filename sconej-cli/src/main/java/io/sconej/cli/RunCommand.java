package io.sconej.cli;

import io.sconej.attestation.TeeMode;
import io.sconej.runtime.CasAddress;
import io.sconej.runtime.CasIdentity;
import io.sconej.runtime.EnclaveJvmOptions;
import io.sconej.runtime.HostCallSettings;
import io.sconej.runtime.LaunchSettings;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sconej run}: starts an unmodified Java application as an enclave JVM. The host supplies
 * only where things are (CAS, class path, volume directories); what runs, its environment and its
 * volumes come from the session after attestation (see io.sconej.runtime.EnclaveMain).
 */
@Command(
    name = "run",
    description = "Run an unmodified Java application in an enclave, configured by the CAS after"
        + " attestation. bin/sconej starts the enclave JVM itself and hands this command only what"
        + " it does not recognise; see docs/cli.md.")
final class RunCommand extends CliCommand implements Callable<Integer> {
  /** Jars of the trusted runtime, by artifact name; all else on the CLI's class path is not. */
  static final List<String> RUNTIME_ARTIFACTS = List.of("sconej-runtime", "sconej-ioagent",
      "sconej-crypto", "sconej-hostcalls", "sconej-fileshield", "sconej-attestation",
      "sconej-cas-client", "sconej-console");

  @Option(names = "--cas", paramLabel = "HOST:PORT", description = "Or https://HOST[:PORT].")
  String cas;

  @Option(names = "--cas-ca", paramLabel = "CA.pem")
  String casCa;

  @Option(names = "--cas-identity", paramLabel = "SHA256_HEX",
      description = "The CAS key the enclave is measured for (default: that of --cas-ca).")
  String casIdentityHex;

  @Option(names = "--config-id", paramLabel = "SESSION/SERVICE")
  String configId;

  @Option(names = "--class-path", required = true, paramLabel = "APP_JARS",
      description = "The application's ':'-separated jars and directories; each must exist.")
  String classPath;

  @Option(names = "--volume", paramLabel = "NAME=HOST_DIR",
      description = "A host directory per session volume (repeatable, each NAME once).")
  List<String> volumes = new ArrayList<>();

  @Option(names = "--platform", paramLabel = "DIR", description = "The sim platform directory.")
  String platform;

  @Option(names = "--ethreads", paramLabel = "N", defaultValue = "2",
      description = "Carrier threads, 1 to 1024 (measured); default ${DEFAULT-VALUE}.")
  String ethreads;

  @Option(names = "--hostcalls", paramLabel = "sync|async", defaultValue = "sync",
      description = "Host call mode (measured); default ${DEFAULT-VALUE}.")
  String hostCallMode;

  @Option(names = "--hostcall", paramLabel = "KEY=VALUE",
      description = "Host call tuning, not measured (repeatable, each KEY once).")
  List<String> hostCalls = new ArrayList<>();

  @Option(names = "--mode", paramLabel = "sim", defaultValue = "sim",
      description = "The TEE mode (measured); default ${DEFAULT-VALUE}.")
  String mode;

  @Option(names = "--java-home", paramLabel = "DIR", description = "Default: this JVM's.")
  String javaHomeDir;

  @Option(names = "--print-measurement", description = "Print the measurement and exit.")
  boolean printMeasurement;

  @Option(names = "--print-command", description = "Print the enclave JVM command and exit.")
  boolean printCommand;

  @Override
  public Integer call() throws CliException {
    PrintStream out = out();
    if (!ethreads.matches("[0-9]{1,9}")) {
      throw CliException.usage("--ethreads must be a whole number, got '" + ethreads + "'");
    }
    if (cas != null) {
      try {
        CasAddress.parse(cas);
      } catch (IllegalArgumentException e) {
        throw CliException.usage(e.getMessage());
      }
    }
    checkVolumes(volumes);
    TeeMode teeMode;
    int threads;
    try {
      teeMode = TeeMode.parse(mode);
      threads = Integer.parseInt(ethreads);
      LaunchSettings.check(threads, hostCallMode);
      if (casIdentityHex != null) {
        CasIdentity.parse(casIdentityHex);
      }
      HostCallSettings.parseLaunchOptions(hostCalls); // tuning, not measured
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
    Path javaHome = Path.of(javaHomeDir != null ? javaHomeDir : System.getProperty("java.home"));
    if (!Files.isRegularFile(javaHome.resolve("bin/java"))
        || !Files.isExecutable(javaHome.resolve("bin/java"))) {
      throw CliException.usage("--java-home " + javaHome + " is not a Java home (no "
          + javaHome.resolve("bin/java") + ")");
    }
    // The user's input first, then what the CLI finds itself (the runtime's jars).
    List<Path> appCp = classPath(classPath);
    String measuredCas = printMeasurement ? casIdentity() : null;
    List<Path> runtimeCp = runtimeClassPath();
    if (printMeasurement) {
      LaunchSettings settings = new LaunchSettings(teeMode, threads, hostCallMode, measuredCas);
      try {
        out.println(settings.measure(javaHome, runtimeCp, appCp).hex());
      } catch (IOException e) {
        throw CliException.usage("cannot measure: " + e.getMessage());
      }
      return ExitCodes.OK;
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(javaHome.resolve("bin/java").toString());
    // The one definition of the enclave JVM's options (bin/sconej mirrors it): the runtime on the
    // boot class path, its agents, the hardening flags, the launch settings, -cp.
    cmd.addAll(EnclaveJvmOptions.of(threads, hostCallMode, runtimeCp, appCp));
    cmd.add("io.sconej.runtime.EnclaveMain");
    String[][] located = {{"cas", cas}, {"cas-ca", casCa}, {"cas-identity", casIdentityHex},
        {"config-id", configId}, {"platform", platform}};
    for (String[] kv : located) {
      if (kv[1] != null) {
        cmd.add("--" + kv[0]);
        cmd.add(kv[1]);
      }
    }
    for (String v : volumes) {
      cmd.add("--volume");
      cmd.add(v);
    }
    for (String v : hostCalls) {
      cmd.add("--hostcall");
      cmd.add(v);
    }
    cmd.addAll(List.of("--mode", teeMode.id(), "--ethreads", Integer.toString(threads),
        "--hostcalls", hostCallMode,
        "--runtime-class-path", join(runtimeCp), "--app-class-path", join(appCp)));
    if (Main.debug()) { // stack traces of start-up failures in the enclave (diagnostics only)
      cmd.addAll(List.of("--debug", "1"));
    }
    if (printCommand) {
      // What bin/sconej execs directly (RunLauncherParityTest compares the two).
      cmd.forEach(out::println);
      return ExitCodes.OK;
    }
    out.flush();
    try {
      // No core dumps (the enclave refuses to start otherwise), and none of the variables that
      // change what the JVM loads (it refuses those too): docs/formats/measurement.md.
      List<String> sh = new ArrayList<>(List.of("/bin/sh", "-c", "ulimit -c 0 && exec \"$@\"",
          "sh"));
      sh.addAll(cmd);
      ProcessBuilder pb = new ProcessBuilder(sh).inheritIO();
      pb.environment().keySet().removeIf(EnclaveJvmOptions::refusedVariable);
      Process proc = pb.start();
      return proc.waitFor();
    } catch (IOException e) {
      throw new CliException(ExitCodes.OTHER, "cannot start the enclave JVM: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.OTHER, "interrupted");
    }
  }

  /** Each {@code --volume} is NAME=HOST_DIR, and each NAME is given once (exit 2 otherwise). */
  static void checkVolumes(List<String> volumes) throws CliException {
    java.util.Set<String> names = new java.util.HashSet<>();
    for (String v : volumes) {
      int eq = v.indexOf('=');
      if (eq <= 0 || eq == v.length() - 1) {
        throw CliException.usage("--volume needs NAME=HOST_DIR, got '" + v + "'");
      }
      if (!names.add(v.substring(0, eq))) {
        throw CliException.usage("--volume " + v.substring(0, eq) + " given more than once");
      }
    }
  }

  /** The measured CAS identity: {@code --cas-identity}, or that of {@code --cas-ca}'s key. */
  private String casIdentity() throws CliException {
    return casIdentity(casIdentityHex, casCa, "--print-measurement");
  }

  /** {@code hex} if given, else the identity of the key in certificate {@code casCa}. */
  static String casIdentity(String hex, String casCa, String command) throws CliException {
    if (hex != null) {
      return hex;
    }
    if (casCa == null) {
      throw CliException.usage(command + " needs the CAS identity, which the"
          + " measurement binds: give --cas-ca CA.pem or --cas-identity SHA256_HEX");
    }
    Path pem = Path.of(casCa);
    byte[] b = CliFiles.read(pem, "--cas-ca", CliFiles.PEM_MAX_BYTES);
    try {
      return CasIdentity.of((X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new java.io.ByteArrayInputStream(b)));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw CliException.usage("--cas-ca " + pem + " holds no X.509 certificate");
    }
  }

  private static String join(List<Path> cp) {
    return String.join(File.pathSeparator, cp.stream().map(Path::toString).toList());
  }

  /** Application class path entries; each must be an existing file (a jar) or directory. */
  private static List<Path> classPath(String cp) throws CliException {
    List<Path> l = new ArrayList<>();
    for (String s : cp.split(File.pathSeparator)) {
      if (s.isEmpty()) {
        continue;
      }
      Path path = Path.of(s).toAbsolutePath().normalize();
      if (!Files.exists(path)) {
        throw CliException.usage("class path entry " + s + " does not exist");
      }
      if (!Files.isRegularFile(path) && !Files.isDirectory(path)) { // a FIFO or a device
        throw CliException.usage("class path entry " + s + " is not a jar or a directory");
      }
      l.add(path);
    }
    if (l.isEmpty()) {
      throw CliException.usage("--class-path is empty");
    }
    return l;
  }

  /** The runtime's jars, sconej-runtime first (it is the agent), from this CLI's class path. */
  static List<Path> runtimeClassPath() throws CliException {
    List<Path> found = new ArrayList<>();
    String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
    for (String a : RUNTIME_ARTIFACTS) {
      Path hit = null;
      for (String e : entries) {
        String name = Path.of(e).getFileName().toString();
        if (name.startsWith(a + "-") && name.endsWith(".jar")
            && Character.isDigit(name.charAt(a.length() + 1))) {
          hit = Path.of(e).toAbsolutePath();
        }
      }
      if (hit == null) {
        throw new CliException(ExitCodes.OTHER, "runtime jar " + a + " not found on the CLI's"
            + " class path (build with bin/build package)");
      }
      found.add(hit);
    }
    return found;
  }
}
