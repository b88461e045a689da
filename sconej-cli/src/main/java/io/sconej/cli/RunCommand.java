package io.sconej.cli;

import io.sconej.attestation.TeeMode;
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
import java.util.Set;

/**
 * {@code sconej run}: starts an unmodified Java application as an enclave JVM. The host supplies
 * only where things are (CAS, class path, volume directories); what runs, its environment and its
 * volumes come from the session after attestation (see io.sconej.runtime.EnclaveMain).
 */
final class RunCommand implements Command {
  /** Jars of the trusted runtime, by artifact name; all else on the CLI's class path is not. */
  static final List<String> RUNTIME_ARTIFACTS = List.of("sconej-runtime", "sconej-ioagent",
      "sconej-crypto", "sconej-hostcalls", "sconej-fileshield", "sconej-attestation",
      "sconej-cas-client", "sconej-console");
  private static final String USAGE = "sconej run --cas HOST:PORT --cas-ca CA.pem"
      + " [--cas-identity SHA256_HEX] --config-id SESSION/SERVICE --class-path APP_JARS"
      + " [--volume NAME=HOST_DIR ...] --platform DIR"
      + " [--ethreads N] [--hostcalls sync|async] [--hostcall KEY=VALUE ...] [--mode sim]"
      + " [--print-measurement | --print-command]";

  @Override
  public String summary() {
    return "run an unmodified Java application in an enclave, configured by the CAS";
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) throws CliException {
    Args p = Args.parse(args, Set.of("cas", "cas-ca", "cas-identity", "config-id", "class-path",
        "volume",
        "platform", "ethreads", "hostcalls", "hostcall", "mode", "java-home"),
        Set.of("print-measurement", "print-command"));
    p.positionals(0, 0, USAGE);
    TeeMode mode;
    int ethreads;
    String hostCalls = p.option("hostcalls").orElse("sync");
    try {
      mode = TeeMode.parse(p.option("mode").orElse("sim"));
      ethreads = Integer.parseInt(p.option("ethreads").orElse("2"));
      LaunchSettings.check(ethreads, hostCalls);
      p.option("cas-identity").ifPresent(CasIdentity::parse);
      HostCallSettings.parseLaunchOptions(p.all("hostcall")); // tuning, not measured
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
    Path javaHome = Path.of(p.option("java-home").orElse(System.getProperty("java.home")));
    List<Path> runtimeCp = runtimeClassPath();
    List<Path> appCp = classPath(p.required("class-path"));
    if (p.flag("print-measurement")) {
      LaunchSettings settings =
          new LaunchSettings(mode, ethreads, hostCalls, casIdentity(p));
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
    cmd.addAll(EnclaveJvmOptions.of(ethreads, hostCalls, runtimeCp, appCp));
    cmd.add("io.sconej.runtime.EnclaveMain");
    for (String k : List.of("cas", "cas-ca", "cas-identity", "config-id", "platform")) {
      if (p.option(k).isPresent()) {
        cmd.add("--" + k);
        cmd.add(p.option(k).get());
      }
    }
    for (String v : p.all("volume")) {
      cmd.add("--volume");
      cmd.add(v);
    }
    for (String v : p.all("hostcall")) {
      cmd.add("--hostcall");
      cmd.add(v);
    }
    cmd.addAll(List.of("--mode", mode.id(), "--ethreads", Integer.toString(ethreads),
        "--hostcalls", hostCalls,
        "--runtime-class-path", join(runtimeCp), "--app-class-path", join(appCp)));
    if (p.flag("print-command")) {
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

  /** The measured CAS identity: {@code --cas-identity}, or that of {@code --cas-ca}'s key. */
  private static String casIdentity(Args p) throws CliException {
    if (p.option("cas-identity").isPresent()) {
      return p.option("cas-identity").get();
    }
    if (p.option("cas-ca").isEmpty()) {
      throw CliException.usage("--print-measurement needs the CAS identity, which the"
          + " measurement binds: give --cas-ca CA.pem or --cas-identity SHA256_HEX");
    }
    Path pem = Path.of(p.option("cas-ca").get());
    try (var in = Files.newInputStream(pem)) {
      return CasIdentity.of((X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(in));
    } catch (IOException | GeneralSecurityException | ClassCastException e) {
      throw CliException.usage("cannot read the CAS certificate " + pem + ": " + e.getMessage());
    }
  }

  private static String join(List<Path> cp) {
    return String.join(File.pathSeparator, cp.stream().map(Path::toString).toList());
  }

  /** Application class path entries; each must exist. */
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
