package io.sconej.cas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.attestation.sim.SimEvidence;
import io.sconej.cas.client.CasClient;
import io.sconej.cas.client.CasConnection;
import io.sconej.crypto.json.Json;
import io.sconej.cas.client.Pem;
import io.sconej.crypto.Rng;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * x509 secret names: IP literals become IP address names, the rest DNS names; and a store written
 * under the upload rules of its time still opens although today's uploads refuse its policy.
 */
class X509SecretNamesTest {
  @TempDir Path dir;

  @Test
  void ipLiteralsAreIssuedAsIpAddressNamesAndDnsNamesAsDnsNames() throws Exception {
    String yaml =
        CasFixture.simPolicy("acme/db")
            .replace("common_name: web.acme\n", "common_name: web acme (prod)\n")
            .replace("dns: [web.acme]", "dns: [web.acme, 10.0.0.1, \"::1\", \"*.acme.internal\"]");
    try (CasFixture cas = new CasFixture(dir)) {
      try (CasConnection owner = cas.connect(Optional.of(CasFixture.identity()))) {
        var r = CasFixture.postYaml(owner, "/v1/sessions", yaml);
        assertEquals(201, r.status(), r.text());
      }
      try (CasClient c =
          CasClient.create("127.0.0.1", cas.server.port(), cas.server.caCertificate())) {
        var cfg =
            c.attest(
                "acme/db/web",
                rd ->
                    SimEvidence.create(
                        CasFixture.PLATFORM, CasFixture.measurement(), SimEvidence.NO_SIGNER, rd));
        byte[] leaf = Pem.decode(cfg.secrets().get("tls").value(), "CERTIFICATE").get(0);
        X509Certificate cert =
            (X509Certificate)
                CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(leaf));
        Set<List<?>> sans =
            cert.getSubjectAlternativeNames().stream()
                .map(List::copyOf)
                .collect(Collectors.toSet());
        assertEquals(
            Set.of(
                List.of(2, "web.acme"),
                List.of(7, "10.0.0.1"),
                List.of(7, "0:0:0:0:0:0:0:1"),
                List.of(2, "*.acme.internal")),
            sans);
        assertTrue(
            cert.getSubjectX500Principal().getName().contains("CN=web acme (prod)"),
            cert.getSubjectX500Principal().getName());
      }
    }
  }

  @Test
  void aStoredVersionAcceptedUnderEarlierRulesStillOpens() throws Exception {
    // Accepted before sim needed its toleration at upload and before x509 names were checked.
    String yaml =
        CasFixture.policy("acme/old", 1, "", "")
            .replace("dns: [web.acme]", "dns: [-legacy.example]");
    var owner = CasFixture.identity();
    try (CasStore store = CasStore.open(dir, r -> {})) {
      SessionPolicy p = PolicyParser.parseStored(yaml);
      var ca = SecretGenerator.newSessionCa(p.name());
      Map<String, GeneratedSecret> secrets = new LinkedHashMap<>();
      for (var spec : p.secrets().values()) {
        secrets.put(spec.name(), SecretGenerator.generate(spec, ca));
      }
      Map<String, byte[]> keys = new LinkedHashMap<>();
      keys.put("web/data", Rng.bytes(32));
      keys.put(SessionRegistry.consoleKeyId("web"), Rng.bytes(32));
      var v =
          new SessionVersion(
              p,
              yaml,
              SessionRegistry.hash(yaml),
              Pem.fingerprint(owner.cert()),
              System.currentTimeMillis(),
              ca,
              secrets,
              keys);
      store.append(Json.write(SessionCodec.encode(v)).getBytes(StandardCharsets.UTF_8));
    }
    try (CasFixture cas = new CasFixture(dir);
        CasConnection c = cas.connect(Optional.of(owner))) {
      var shown = CasFixture.get(c, "/v1/sessions/acme/old");
      assertEquals(200, shown.status(), shown.text());
      var again = CasFixture.postYaml(c, "/v1/sessions", yaml.replace("acme/old", "acme/new"));
      assertEquals(400, again.status(), again.text());
    }
  }
}
