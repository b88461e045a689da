package io.sconej.runtime;

import io.sconej.attestation.TeeMode;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the host tells the enclave JVM: where things are (CAS address and CA, class paths, volume
 * directories, sim platform), the measured launch settings and the unmeasured host-call tuning
 * ({@code --hostcall KEY=VALUE}, see {@link HostCallSettings}). Nothing here reaches the
 * application: its command, environment and volumes come from the session.
 */
record LaunchArgs(String casHost, int casPort, Path casCa, String configId, Path platformDir,
    Map<String, Path> volumeDirs, List<Path> runtimeClassPath, List<Path> appClassPath,
    LaunchSettings settings, Map<String, String> hostCallOptions) {

  static LaunchArgs parse(String[] args) throws LaunchException {
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
        if (eq <= 0) {
          throw new LaunchException(2, "--volume needs NAME=HOST_DIR, got '" + v + "'");
        }
        vols.put(v.substring(0, eq), Path.of(v.substring(eq + 1)).toAbsolutePath());
      } else if (k.equals("--hostcall")) { // repeatable; tuning only, not measured
        hostCalls.add(v);
      } else {
        o.put(k.substring(2), v);
      }
    }
    try {
      String cas = req(o, "cas");
      int colon = cas.lastIndexOf(':');
      if (colon <= 0) {
        throw new LaunchException(2, "--cas needs HOST:PORT, got '" + cas + "'");
      }
      LaunchSettings s = new LaunchSettings(TeeMode.parse(o.getOrDefault("mode", "sim")),
          Integer.parseInt(o.getOrDefault("ethreads", "2")), o.getOrDefault("hostcalls", "sync"));
      return new LaunchArgs(cas.substring(0, colon), Integer.parseInt(cas.substring(colon + 1)),
          Path.of(req(o, "cas-ca")), req(o, "config-id"),
          o.containsKey("platform") ? Path.of(o.get("platform")) : null, vols,
          paths(req(o, "runtime-class-path")), paths(req(o, "app-class-path")), s,
          HostCallSettings.parseLaunchOptions(hostCalls));
    } catch (IllegalArgumentException e) {
      throw new LaunchException(2, e.getMessage());
    }
  }

  private static String req(Map<String, String> o, String k) throws LaunchException {
    String v = o.get(k);
    if (v == null) {
      throw new LaunchException(2, "missing enclave launch argument --" + k);
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
