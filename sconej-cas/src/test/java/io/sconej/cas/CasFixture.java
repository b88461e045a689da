package io.sconej.cas;

import io.sconej.attestation.TeeMode;
import io.sconej.attestation.sim.SimPlatform;
import io.sconej.cas.client.CasConnection;
import io.sconej.cas.client.SelfSignedCert;
import io.sconej.verifier.sim.SimEvidenceVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** A real CAS on a random loopback port, a trusted sim platform and owner identities. */
final class CasFixture implements AutoCloseable {
  static final String MEASUREMENT = "11".repeat(32);
  static final SimPlatform PLATFORM =
      SimPlatform.generate(Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(1)));

  final Path dir;
  CasServer server;

  CasFixture(Path dir) throws IOException {
    this.dir = dir;
    start();
  }

  void start() throws IOException {
    server = CasServer.start(config(dir));
  }

  static CasConfig config(Path dir) {
    return CasConfig.builder(dir)
        .port(0)
        .verifier(TeeMode.SIM, SimEvidenceVerifier.create(List.of(PLATFORM.certificate())))
        .build();
  }

  void restart() throws IOException {
    server.close();
    start();
  }

  /** A new owner identity. */
  static CasConnection.ClientIdentity identity() throws GeneralSecurityException {
    KeyPair k = SelfSignedCert.newEcKeyPair();
    return new CasConnection.ClientIdentity(
        k, SelfSignedCert.create(k, "owner", Duration.ofDays(1)));
  }

  CasConnection connect(Optional<CasConnection.ClientIdentity> id) throws GeneralSecurityException {
    return CasConnection.create("127.0.0.1", server.port(), server.caCertificate(), id);
  }

  static byte[] measurement() {
    return HexFormat.of().parseHex(MEASUREMENT);
  }

  /** A policy for session {@code name} with one service "web" and a few secrets. */
  static String policy(String name, long version, String predecessor, String extra) {
    return "name: "
        + name
        + "\n"
        + "version: "
        + version
        + "\n"
        + (predecessor.isEmpty() ? "" : "predecessor: " + predecessor + "\n")
        + "services:\n"
        + "  - name: web\n"
        + "    attestation:\n"
        + "      measurements: ["
        + MEASUREMENT
        + "]\n"
        + "      modes: [sim]\n"
        + "    command: [java, -jar, app.jar, --password=$$SCONEJ::db_password$$]\n"
        + "    environment:\n"
        + "      API_KEY: $$SCONEJ::api_key$$\n"
        + "      POLICY_MARKER: marker-in-policy-text-42\n"
        + "    volumes:\n"
        + "      - name: data\n"
        + "        path: /data\n"
        + "        kind: encrypted\n"
        + "secrets:\n"
        + "  - name: db_password\n"
        + "    kind: ascii\n"
        + "    length: 24\n"
        + "  - name: api_key\n"
        + "    kind: binary\n"
        + "  - name: signing\n"
        + "    kind: ec\n"
        + "  - name: tls\n"
        + "    kind: x509\n"
        + "    common_name: web.acme\n"
        + "    dns: [web.acme]\n"
        + extra;
  }

  static String simPolicy(String name) {
    return policy(name, 1, "", "security:\n  tolerate: [simulation]\n");
  }

  static CasConnection.Response postYaml(CasConnection c, String path, String yaml)
      throws IOException {
    return c.request("POST", path, "application/yaml", yaml.getBytes(StandardCharsets.UTF_8));
  }

  static CasConnection.Response putYaml(CasConnection c, String path, String yaml)
      throws IOException {
    return c.request("PUT", path, "application/yaml", yaml.getBytes(StandardCharsets.UTF_8));
  }

  static CasConnection.Response get(CasConnection c, String path) throws IOException {
    return c.request("GET", path, "", new byte[0]);
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
