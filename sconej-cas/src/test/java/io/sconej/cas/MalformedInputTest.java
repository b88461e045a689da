package io.sconej.cas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.cas.client.CasConnection;
import io.sconej.crypto.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MalformedInputTest {
  @TempDir Path dir;
  CasFixture cas;
  CasConnection owner;

  @BeforeEach
  void start() throws Exception {
    cas = new CasFixture(dir);
    owner = cas.connect(Optional.of(CasFixture.identity()));
  }

  @AfterEach
  void stop() throws Exception {
    owner.close();
    cas.close();
  }

  private void refused(CasConnection.Response r, int status, String... fragments) throws Exception {
    assertEquals(status, r.status(), r.text());
    String msg = Json.string(r.json(), "error");
    for (String f : fragments) {
      assertTrue(msg.contains(f), "'" + msg + "' should contain '" + f + "'");
    }
    assertFalse(msg.contains("Exception") || msg.contains("\tat "), msg);
  }

  static Stream<Arguments> malformedPolicies() {
    String svc = "services:\n  - name: w\n";
    String m32 = "ab".repeat(32);
    String x509 = "name: a\nversion: 1\nsecrets:\n  - name: t\n    kind: x509\n";
    // A valid rest after the secret, so that only the secret's names can be refused.
    String rest =
        "\nservices:\n  - name: w\n    attestation: {measurements: ["
            + m32
            + "], modes: [sim]}\nsecurity: {tolerate: [simulation]}\n";
    return Stream.of(
        Arguments.of(
            "name: a\nversion: 1\nservices: []\nbogus: 1",
            List.of("line 4", "'bogus'", "unknown field")),
        Arguments.of(
            "name: a\nversion: x\nservices: []", List.of("line 2", "'version'", "integer")),
        Arguments.of("name: A B\nversion: 1", List.of("line 1", "'name'")),
        Arguments.of(
            "name: a\nversion: 1\n" + svc + "    attestation: {measurements: [zz]}",
            List.of("line 5", "'services[0].attestation.measurements[0]'", "hex")),
        Arguments.of(
            "name: a\nversion: 1\n" + svc + "    attestation: {}",
            List.of("line 5", "'services[0].attestation'")),
        Arguments.of(
            "name: a\nversion: 1\n" + svc + "    comand: [x]",
            List.of("line 5", "'services[0].comand'", "unknown field")),
        Arguments.of("name: a\nversion: 1\nversion: 2", List.of("line 3", "'version'", "twice")),
        Arguments.of("name: [unclosed", List.of("line", "malformed YAML")),
        Arguments.of(
            "name: a\nversion: 1\nsecrets: [{name: s, kind: rsa}]\nservices: []",
            List.of("line 3", "'secrets[0].kind'")),
        Arguments.of(
            "name: a\nversion: 1\nsecurity: {tolerate: [everything]}\n"
                + svc
                + "    attestation: {measurements: ["
                + "ab".repeat(32)
                + "]}",
            List.of("line 3", "'security.tolerate[0]'")),
        Arguments.of(
            "name: a\nversion: 1\n"
                + svc
                + "    attestation: {measurements: ["
                + "ab".repeat(32)
                + "]}\n    ethreads: -1",
            List.of("line 6", "'services[0].ethreads'")),
        Arguments.of("a: &x [1]\nb: *x", List.of("aliases")),
        Arguments.of(
            "name: a\nversion: 1\n" + svc + "    attestation: {signers: [" + "00".repeat(32) + "]}",
            List.of("line 5", "'services[0].attestation.signers[0]'", "all-zero")),
        Arguments.of("- just\n- a list", List.of("line 1", "mapping")),
        // Combinations that can never attest.
        Arguments.of(
            "name: a\nversion: 1\n"
                + svc
                + "    attestation:\n      measurements: ["
                + m32
                + "]\n      modes: [tdx, sim]",
            List.of("line 7", "'services[0].attestation.modes[1]'", "tolerate: [simulation]")),
        Arguments.of(
            "name: a\nversion: 1\nsecurity: {tolerate: [simulation]}\n"
                + svc
                + "    attestation: {measurements: ["
                + m32
                + "], modes: []}",
            List.of("line 6", "'services[0].attestation.modes'", "at least one mode")),
        Arguments.of(
            "name: a\nversion: 1\nsecurity: {tolerate: [simulation]}\n"
                + svc
                + "    attestation:\n      measurements:\n        - "
                + m32
                + "\n        - "
                + "cd".repeat(48)
                + "\n      modes: [sim]",
            List.of("line 9", "'services[0].attestation.measurements[1]'", "48-byte measurement")),
        Arguments.of(
            "name: a\nversion: 1\n"
                + svc
                + "    attestation: {measurements: ["
                + "cd".repeat(16)
                + "]}",
            List.of("line 5", "'services[0].attestation.measurements[0]'", "16-byte")),
        Arguments.of(
            "name: a\nversion: 1\n"
                + svc
                + "    attestation: {signers: ["
                + m32
                + "], modes: [tdx, sev-snp]}",
            List.of("line 5", "'services[0].attestation.signers[0]'", "32-byte signer")),
        // x509 names that no certificate could carry (a 500 at issuance before).
        Arguments.of(
            x509 + "    dns: [\"1.2.3.999\"]" + rest,
            List.of("line 6", "'secrets[0].dns[0]'", "not a valid IPv4 address", "1.2.3.999")),
        Arguments.of(
            x509 + "    dns: [ok.example, -bad.example]" + rest,
            List.of("line 6", "'secrets[0].dns[1]'", "RFC 1123")),
        Arguments.of(
            x509 + "    dns: [" + "a".repeat(64) + ".example]" + rest,
            List.of("line 6", "'secrets[0].dns[0]'", "RFC 1123")),
        Arguments.of(
            x509 + "    dns: [\"fe80::1%eth0\"]" + rest,
            List.of("line 6", "'secrets[0].dns[0]'", "IPv6")),
        Arguments.of(
            x509 + "    dns: [a.example, 10.0.0.1, a.example]" + rest,
            List.of("line 6", "'secrets[0].dns[2]'", "twice")),
        Arguments.of(
            x509 + "    common_name: \"#3000\"" + rest,
            List.of("line 6", "'secrets[0].common_name'", "starting with")),
        Arguments.of(
            x509 + "    common_name: " + "c".repeat(65) + rest,
            List.of("line 6", "'secrets[0].common_name'", "1 to 64")),
        Arguments.of(
            x509 + "    dns: [a.example]\n    common_name: \"a\\nb\"" + rest,
            List.of("line 7", "'secrets[0].common_name'", "letters, digits")));
  }

  @ParameterizedTest
  @MethodSource("malformedPolicies")
  void malformedPoliciesAreRefusedNamingFieldAndLine(String yaml, List<String> fragments)
      throws Exception {
    refused(
        CasFixture.postYaml(owner, "/v1/sessions", yaml), 400, fragments.toArray(new String[0]));
  }

  @Test
  void deeplyNestedYamlIsRefusedNamingTheLineNotAStackOverflow() throws Exception {
    refused(
        CasFixture.postYaml(owner, "/v1/sessions", "[\n".repeat(3000) + "]\n".repeat(3000)),
        400,
        "policy line 65:",
        "nested deeper than 64 levels");
    refused(
        CasFixture.postYaml(owner, "/v1/sessions", "{a: ".repeat(3000) + "1" + "}".repeat(3000)),
        400,
        "policy line 1:",
        "nested deeper than 64 levels");
    // The server is still answering on the same connection.
    refused(CasFixture.postYaml(owner, "/v1/sessions", "name: [unclosed"), 400, "malformed YAML");
  }

  @Test
  void placeholderOfAnUndefinedSecretIsRefused() throws Exception {
    String yaml =
        CasFixture.simPolicy("acme/p").replace("$$SCONEJ::api_key$$", "$$SCONEJ::nothing$$");
    refused(CasFixture.postYaml(owner, "/v1/sessions", yaml), 400, "nothing", "environment");
  }

  @Test
  void wrongContentTypeOversizedBodyAndBadJson() throws Exception {
    refused(
        owner.request(
            "POST",
            "/v1/sessions",
            "application/json",
            CasFixture.simPolicy("acme/q").getBytes(StandardCharsets.UTF_8)),
        415,
        "application/yaml");
    refused(
        owner.request("POST", "/v1/sessions", "application/yaml", new byte[300 << 10]),
        413,
        "limit");
    refused(
        owner.request(
            "POST",
            "/v1/attest",
            "application/json",
            "{\"config_id\": \"a/b\",\n \"nonce\": 1,}".getBytes()),
        400,
        "line 2");
    refused(
        owner.request(
            "POST",
            "/v1/attest",
            "application/json",
            ("{\"config_id\": \"a/b\", \"nonce\": \"00\", \"evidence\": {\"mode\": \"sim\","
                    + " \"bytes\": \"\"}, \"x\": 1}")
                .getBytes()),
        400,
        "'x'");
    refused(
        owner.request(
            "POST",
            "/v1/attest",
            "application/json",
            ("{\"config_id\": \"a/b\", \"nonce\": \"0g\", \"evidence\": {\"mode\": \"sim\","
                    + " \"bytes\": \"\"}}")
                .getBytes()),
        400,
        "nonce");
    refused(
        owner.request("POST", "/v1/attest", "application/json", new byte[] {'{', (byte) 0xff, '}'}),
        400,
        "UTF-8");
    refused(owner.request("DELETE", "/v1/sessions/acme/q", "", new byte[0]), 405);
    refused(owner.request("GET", "/v2/x", "", new byte[0]), 404);
  }
}
