package io.sconej.runtime;

import io.sconej.attestation.TeeMode;
import java.io.File;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the host tells the enclave JVM: where things are (CAS address and certificate, class
 * paths, volume directories, sim platform), the measured launch settings (mode, ethreads, host
 * calls, and the CAS identity: {@code --cas-identity}, or else that of the {@code --cas-ca}
 * certificate) and the unmeasured host-call tuning ({@code --hostcall KEY=VALUE}, see {@link
 * HostCallSettings}). Nothing here reaches the application: its command, environment and volumes
 * come from the session. Every option but {@code --hostcall} is given at most once, and each
 * volume name once: a repeat is refused (exit 2), never silently replaced. {@code --debug 1}
 * (host-controlled, diagnostics only; see {@link #debug}) is accepted and ignored here.
 *
 * <p>A container image's entrypoint is a fixed argument list, so the host can give where things
 * are as environment variables instead ({@link #ENVIRONMENT}, docs/images.md): {@code
 * SCONEJ_CAS_ADDR}, {@code SCONEJ_CAS_CA}, {@code SCONEJ_CONFIG_ID}, {@code SCONEJ_PLATFORM} and
 * {@code SCONEJ_VOLUMES} ({@code NAME=DIR[:NAME=DIR...]}). They are as host-controlled as the
 * arguments and are read by this (measured) code alone; a value given both ways, or an empty
 * one, is refused (exit 2).
 */
record LaunchArgs(String casHost, int casPort, Path casCa, Optional<String> casIdentity,
    String configId, Path platformDir, Map<String, Path> volumeDirs, List<Path> runtimeClassPath,
    List<Path> appClassPath, TeeMode mode, int ethreads, String hostCalls,
    Map<String, String> hostCallOptions) {

  /** The launch arguments the host may give as environment variables instead, by variable. */
  static final Map<String, String> ENVIRONMENT = Map.of("SCONEJ_CAS_ADDR", "cas",
      "SCONEJ_CAS_CA", "cas-ca", "SCONEJ_CONFIG_ID", "config-id", "SCONEJ_PLATFORM", "platform");

  /** The variable with the volume directories, {@code NAME=DIR[:NAME=DIR...]}. */
  static final String VOLUMES_VARIABLE = "SCONEJ_VOLUMES";

  static LaunchArgs parse(String[] args) throws LaunchException {
    return parse(args, Map.of());
  }

  /** As {@link #parse(String[])}, with the launch arguments {@code env} gives (see above). */
  static LaunchArgs parse(String[] args, Map<String, String> env) throws LaunchException {
    List<String> all = new ArrayList<>(List.of(args));
    for (var e : new java.util.TreeMap<>(ENVIRONMENT).entrySet()) {
      String v = env.get(e.getKey());
      if (v != null) {
        if (v.isEmpty()) {
          throw new LaunchException(2, "the environment variable " + e.getKey() + " is empty");
        }
        all.add(fromEnvironment(all, e.getKey(), e.getValue()));
        all.add(v);
      }
    }
    String volumes = env.get(VOLUMES_VARIABLE);
    if (volumes != null) {
      fromEnvironment(all, VOLUMES_VARIABLE, "volume");
      for (String v : volumes.split(File.pathSeparator, -1)) {
        all.add("--volume");
        all.add(v);
      }
    }
    return parseArgs(all.toArray(String[]::new));
  }

  /** {@code --key}, refusing a variable that is empty or also given as an argument. */
  private static String fromEnvironment(List<String> args, String variable, String key)
      throws LaunchException {
    if (args.contains("--" + key)) {
      throw new LaunchException(2, "--" + key + " is given both as an argument and as "
          + variable);
    }
    return "--" + key;
  }

  private static LaunchArgs parseArgs(String[] args) throws LaunchException {
    Map<String, String> o = new LinkedHashMap<>();
    Map<String, Path> vols = new LinkedHashMap<>();
    List<String> hostCalls = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String k = args[i];
      if (!k.startsWith("--") || i + 1 >= args.length) {
        throw new LaunchException(2, "bad enclave launch argument '" + k + "'");
      }
      String v = args[++i];
      if (k.equals("--volume")) {
        int eq = v.indexOf('=');
        if (eq <= 0 || eq == v.length() - 1) {
          throw new LaunchException(2, "--volume needs NAME=HOST_DIR, got '" + v + "'");
        }
        String name = v.substring(0, eq);
        if (vols.putIfAbsent(name, Path.of(v.substring(eq + 1)).toAbsolutePath()) != null) {
          throw new LaunchException(2, "--volume " + name + " given more than once");
        }
      } else if (k.equals("--hostcall")) { // repeatable; tuning only, not measured
        hostCalls.add(v);
      } else if (o.putIfAbsent(k.substring(2), v) != null) {
        throw new LaunchException(2, "enclave launch argument " + k + " given more than once");
      }
    }
    o.remove("debug");
    try {
      CasAddress cas = CasAddress.parse(req(o, "cas"));
      String ethreads = o.getOrDefault("ethreads", "2");
      if (!ethreads.matches("[0-9]{1,4}")) {
        throw new LaunchException(2, "--ethreads must be a whole number, got '" + ethreads + "'");
      }
      String hc = o.getOrDefault("hostcalls", "sync");
      LaunchSettings.check(Integer.parseInt(ethreads), hc);
      return new LaunchArgs(cas.host(), cas.port(),
          Path.of(req(o, "cas-ca")),
          Optional.ofNullable(o.get("cas-identity")).map(CasIdentity::parse), req(o, "config-id"),
          o.containsKey("platform") ? Path.of(o.get("platform")) : null, vols,
          paths(req(o, "runtime-class-path")), paths(req(o, "app-class-path")),
          TeeMode.parse(o.getOrDefault("mode", "sim")), Integer.parseInt(ethreads), hc,
          HostCallSettings.parseLaunchOptions(hostCalls));
    } catch (IllegalArgumentException e) {
      throw new LaunchException(2, e.getMessage());
    }
  }

  /**
   * Whether the host asked for diagnostics ({@code --debug 1}, which bin/sconej and {@code sconej
   * run} add when {@code SCONEJ_DEBUG=1}): start-up failures then print their stack trace. It is
   * host-controlled and changes diagnostics only, never what runs; read before parsing so that a
   * parse failure is covered too.
   */
  static boolean debug(String[] args) {
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (args[i].equals("--debug") && args[i + 1].equals("1")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The measured launch settings for the CAS certificate {@code casCert} (read from {@link
   * #casCa}).
   *
   * @throws LaunchException (exit 3) if {@code --cas-identity} names another CAS key
   */
  LaunchSettings settings(X509Certificate casCert) throws LaunchException {
    String found = CasIdentity.of(casCert);
    if (casIdentity.isPresent() && !casIdentity.get().equals(found)) {
      throw new LaunchException(3, "refusing the CAS: the enclave was measured for the CAS key"
          + " sha256:" + casIdentity.get() + ", but " + casCa + " holds the key sha256:" + found);
    }
    return new LaunchSettings(mode, ethreads, hostCalls, found);
  }

  private static String req(Map<String, String> o, String k) throws LaunchException {
    String v = o.get(k);
    if (v == null) {
      String variable = ENVIRONMENT.entrySet().stream().filter(e -> e.getValue().equals(k))
          .map(Map.Entry::getKey).findFirst().map(n -> " (or the variable " + n + ")").orElse("");
      throw new LaunchException(2, "missing enclave launch argument --" + k + variable);
    }
    return v;
  }

  static List<Path> paths(String cp) {
    List<Path> l = new ArrayList<>();
    for (String s : cp.split(File.pathSeparator)) {
      if (!s.isEmpty()) {
        l.add(Path.of(s).toAbsolutePath());
      }
    }
    return l;
  }
}
