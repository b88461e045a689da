package io.sconej.cas.client;

import java.util.List;
import java.util.Map;

/**
 * The configuration the CAS released to one attested service, placeholders already expanded. {@link
 * #toString()} does not show secrets or keys.
 *
 * @param session the session name
 * @param service the service name
 * @param sessionHash the hash of the session version this configuration comes from
 * @param command the command line (program and arguments)
 * @param environment environment variables
 * @param files injected files: absolute path to content
 * @param volumes the service's volumes with keys and accepted tags
 * @param secrets the session's secrets by name
 * @param ethreads the number of enclave threads (carrier threads), 0 for the runtime's default
 * @param console console mode: protected or unprotected
 */
public record ServiceConfig(
    String session,
    String service,
    String sessionHash,
    List<String> command,
    Map<String, String> environment,
    Map<String, String> files,
    List<VolumeConfig> volumes,
    Map<String, ReleasedSecret> secrets,
    int ethreads,
    String console) {
  /** Copies the collections. */
  public ServiceConfig {
    command = List.copyOf(command);
    environment = Map.copyOf(environment);
    files = Map.copyOf(files);
    volumes = List.copyOf(volumes);
    secrets = Map.copyOf(secrets);
  }

  @Override
  public String toString() {
    return "ServiceConfig["
        + session
        + "/"
        + service
        + ", "
        + volumes.size()
        + " volumes, "
        + secrets.size()
        + " secrets, values redacted]";
  }
}
