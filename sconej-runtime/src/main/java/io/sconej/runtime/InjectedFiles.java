package io.sconej.runtime;

import io.sconej.cas.client.ServiceConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the session's injected files. They usually hold secrets, so each must lie inside one of
 * the session's volumes: a file outside every volume would be written to the host in plaintext,
 * and the start is refused instead.
 */
final class InjectedFiles {
  private InjectedFiles() {}

  static void write(ServiceConfig cfg) throws LaunchException, IOException {
    for (var e : cfg.files().entrySet()) {
      Path p = Path.of(e.getKey()).normalize();
      boolean inside = cfg.volumes().stream().anyMatch(v -> p.startsWith(Path.of(v.path())));
      if (!inside) {
        throw new LaunchException(2, "injected file " + p + " is outside every volume of the"
            + " session: refusing to write it to the host unprotected");
      }
      if (p.getParent() != null) {
        Files.createDirectories(p.getParent());
      }
      Files.writeString(p, e.getValue(), StandardCharsets.UTF_8);
    }
  }
}
