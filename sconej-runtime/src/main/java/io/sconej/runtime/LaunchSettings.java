package io.sconej.runtime;

import io.sconej.attestation.TeeMode;
import io.sconej.attestation.measure.FileHashCache;
import io.sconej.attestation.measure.Measurement;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The launch settings that change the enclave's behaviour, and therefore enter its measurement:
 * the TEE mode, the number of enclave threads (carriers, and what availableProcessors reports),
 * the host-call mode, the CAS the enclave trusts ({@link CasIdentity}) and the JVM options
 * ({@link EnclaveJvmOptions#MEASURED}). The host chooses them at launch; a session pins them
 * through the measurements it allows. Computed identically by {@code sconej run
 * --print-measurement} on the host and by the enclave at start.
 *
 * @param mode the TEE mode
 * @param ethreads carrier threads (virtual thread scheduler parallelism)
 * @param hostCalls {@code sync} or {@code async}
 * @param casIdentity the {@link CasIdentity} of the only CAS the enclave talks to
 */
public record LaunchSettings(TeeMode mode, int ethreads, String hostCalls, String casIdentity) {
  /** Validates. */
  public LaunchSettings {
    check(ethreads, hostCalls);
    CasIdentity.parse(casIdentity);
  }

  /**
   * Validates the settings that are known before the CAS identity.
   *
   * @throws IllegalArgumentException naming the bad value
   */
  public static void check(int ethreads, String hostCalls) {
    if (ethreads < 1 || ethreads > 1024) {
      throw new IllegalArgumentException("ethreads must be between 1 and 1024, not " + ethreads);
    }
    if (!hostCalls.equals("sync") && !hostCalls.equals("async")) {
      throw new IllegalArgumentException("host calls must be sync or async, not " + hostCalls);
    }
  }

  /** The settings as measured. */
  public Map<String, String> asMap() {
    Map<String, String> m = new TreeMap<>();
    m.put("mode", mode.id());
    m.put("ethreads", Integer.toString(ethreads));
    m.put("hostcalls", hostCalls);
    m.put("cas-identity", casIdentity);
    m.put("jvm-options", EnclaveJvmOptions.MEASURED);
    return m;
  }

  /** The enclave measurement for a JRE, runtime and application class path. */
  public Measurement measure(Path javaHome, List<Path> runtimeClassPath, List<Path> appClassPath)
      throws IOException {
    return measure(javaHome, runtimeClassPath, appClassPath, null);
  }

  /**
   * As {@link #measure(Path, List, List)}, taking unchanged files' hashes from {@code cache} if
   * not null (sim mode only, see {@link FileHashCache}).
   */
  public Measurement measure(Path javaHome, List<Path> runtimeClassPath, List<Path> appClassPath,
      FileHashCache cache) throws IOException {
    if (cache != null && mode != TeeMode.SIM) {
      throw new IllegalArgumentException("a measurement cache is for sim mode only");
    }
    return Measurement.builder().javaHome(javaHome).cache(cache)
        .runtimeClassPath(runtimeClassPath).appClassPath(appClassPath).settings(asMap()).build();
  }
}
