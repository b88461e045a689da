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
 * and the host-call mode. The host chooses them at launch; a session pins them through the
 * measurements it allows. Computed identically by {@code sconej run --print-measurement} on the
 * host and by the enclave at start.
 *
 * @param mode the TEE mode
 * @param ethreads carrier threads (virtual thread scheduler parallelism)
 * @param hostCalls {@code sync} or {@code async}
 */
public record LaunchSettings(TeeMode mode, int ethreads, String hostCalls) {
  /** Validates. */
  public LaunchSettings {
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
    return m;
  }

  /** JVM flags that put the settings into effect in the enclave JVM. */
  public List<String> jvmFlags() {
    return List.of("-XX:ActiveProcessorCount=" + ethreads,
        "-Djdk.virtualThreadScheduler.parallelism=" + ethreads,
        "-Dsconej.hostcalls.mode=" + hostCalls);
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
