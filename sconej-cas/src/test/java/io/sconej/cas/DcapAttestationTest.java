package io.sconej.cas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sconej.attestation.Evidence;
import io.sconej.attestation.TeeMode;
import io.sconej.cas.client.CasConnection;
import io.sconej.crypto.json.Json;
import io.sconej.verifier.dcap.DcapCollateral;
import io.sconej.verifier.dcap.DcapVerifier;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real SGX and TDX DCAP quotes (shared/testdata/attestation) through a real CAS: genuine quotes
 * pass verification and are then refused for their report data (they were not made for this
 * channel), tampered quotes are refused as such, and expired collateral is refused.
 */
class DcapAttestationTest {
  static final Instant COLLATERAL_TIME = Instant.parse("2025-06-25T00:00:00Z");
  static final String SGX_MEASUREMENT =
      "33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb";
  static final String TDX_MEASUREMENT =
      "91eb2b44d141d4ece09f0c75c2c53d247a3c68edd7fafe8a3520c942a604a407"
          + "de03ae6dc5f87f27428b2538873118b7";

  @TempDir Path dir;

  static Path data() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path c = p.resolve("shared/testdata/attestation");
      if (Files.isDirectory(c)) {
        return c;
      }
    }
    throw new IllegalStateException("shared/testdata/attestation not found above the working dir");
  }

  static CasServer start(Path dir, Clock clock) throws Exception {
    Path d = data();
    X509Certificate root =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(
                    new ByteArrayInputStream(
                        Files.readAllBytes(d.resolve("roots/intel_sgx_root_ca.pem"))));
    List<DcapCollateral> collateral =
        List.of(
            DcapCollateral.fromDcapQvlJson(
                Files.readString(d.resolve("sgx/phala_sgx_quote_collateral.json"))),
            DcapCollateral.fromDcapQvlJson(
                Files.readString(d.resolve("tdx/phala_tdx_quote_collateral.json"))));
    DcapVerifier v = DcapVerifier.create(root);
    return CasServer.start(
        CasConfig.builder(dir)
            .port(0)
            .clock(clock)
            .verifier(
                TeeMode.GRAMINE_SGX,
                DcapEvidenceVerifier.create(TeeMode.GRAMINE_SGX, v, collateral))
            .verifier(TeeMode.TDX, DcapEvidenceVerifier.create(TeeMode.TDX, v, collateral))
            .build());
  }

  static String policy(String tolerate) {
    return "name: acme/tee\nversion: 1\nservices:\n"
        + "  - name: sgx\n    attestation:\n      measurements: ["
        + SGX_MEASUREMENT
        + "]\n"
        + "      modes: [gramine-sgx]\n"
        + "  - name: tdx\n    attestation:\n      measurements: ["
        + TDX_MEASUREMENT
        + "]\n"
        + "      modes: [tdx]\n"
        + "security:\n  tolerate: ["
        + tolerate
        + "]\n";
  }

  static String attest(CasServer cas, String service, TeeMode mode, byte[] quote) throws Exception {
    var id = CasFixture.identity();
    try (CasConnection c =
        CasConnection.create("127.0.0.1", cas.port(), cas.caCertificate(), Optional.of(id))) {
      var n = c.request("POST", "/v1/nonce", "application/json", "{}".getBytes());
      Map<String, Object> ev = new LinkedHashMap<>();
      ev.put("mode", mode.id());
      ev.put("bytes", Base64.getEncoder().encodeToString(new Evidence(mode, quote).bytes()));
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("config_id", "acme/tee/" + service);
      m.put("nonce", Json.string(n.json(), "nonce"));
      m.put("evidence", ev);
      var r =
          c.request(
              "POST",
              "/v1/attest",
              "application/json",
              Json.write(m).getBytes(StandardCharsets.UTF_8));
      assertEquals(403, r.status(), r.text());
      return Json.string(r.json(), "reason");
    }
  }

  private void createSession(CasServer cas, String tolerate) throws Exception {
    try (CasConnection owner =
        CasConnection.create(
            "127.0.0.1", cas.port(), cas.caCertificate(), Optional.of(CasFixture.identity()))) {
      assertEquals(201, CasFixture.postYaml(owner, "/v1/sessions", policy(tolerate)).status());
    }
  }

  @Test
  void genuineQuotesVerifyAndAreRefusedOnlyForTheirChannelBinding() throws Exception {
    byte[] sgx = Files.readAllBytes(data().resolve("sgx/phala_sgx_quote.bin"));
    byte[] tdx = Files.readAllBytes(data().resolve("tdx/phala_tdx_quote.bin"));
    try (CasServer cas = start(dir, Clock.fixed(COLLATERAL_TIME, ZoneOffset.UTC))) {
      createSession(cas, "outdated-tcb");
      assertEquals("CHANNEL_BINDING_MISMATCH", attest(cas, "sgx", TeeMode.GRAMINE_SGX, sgx));
      assertEquals("CHANNEL_BINDING_MISMATCH", attest(cas, "tdx", TeeMode.TDX, tdx));
      // The wrong service (other measurement) and the wrong mode.
      assertEquals("MEASUREMENT_MISMATCH", attest(cas, "tdx", TeeMode.GRAMINE_SGX, sgx));
      assertEquals("UNSUPPORTED_MODE", attest(cas, "sgx", TeeMode.TDX, sgx));
    }
  }

  @Test
  void outdatedTcbNeedsItsToleration() throws Exception {
    byte[] sgx = Files.readAllBytes(data().resolve("sgx/phala_sgx_quote.bin"));
    try (CasServer cas = start(dir, Clock.fixed(COLLATERAL_TIME, ZoneOffset.UTC))) {
      createSession(cas, "debug");
      // The Phala SGX platform is ConfigurationAndSWHardeningNeeded.
      assertEquals("TCB_NOT_ACCEPTED", attest(cas, "sgx", TeeMode.GRAMINE_SGX, sgx));
    }
  }

  @Test
  void tamperedQuotesAreRefused() throws Exception {
    byte[] sgx = Files.readAllBytes(data().resolve("sgx/phala_sgx_quote.bin"));
    try (CasServer cas = start(dir, Clock.fixed(COLLATERAL_TIME, ZoneOffset.UTC))) {
      createSession(cas, "outdated-tcb");
      byte[] measurement = sgx.clone();
      measurement[48 + 64] ^= 1; // MRENCLAVE inside the signed report body
      assertEquals("BAD_SIGNATURE", attest(cas, "sgx", TeeMode.GRAMINE_SGX, measurement));
      byte[] reportData = sgx.clone();
      reportData[48 + 320] ^= 1; // report data: an attacker trying to bind the quote to its key
      assertEquals("BAD_SIGNATURE", attest(cas, "sgx", TeeMode.GRAMINE_SGX, reportData));
      byte[] signature = sgx.clone();
      signature[48 + 384 + 4 + 10] ^= 1; // inside the quote signature
      assertEquals("BAD_SIGNATURE", attest(cas, "sgx", TeeMode.GRAMINE_SGX, signature));
      assertEquals(
          "MALFORMED_EVIDENCE", attest(cas, "sgx", TeeMode.GRAMINE_SGX, Arrays.copyOf(sgx, 600)));
      assertEquals(
          "MALFORMED_EVIDENCE",
          attest(cas, "sgx", TeeMode.GRAMINE_SGX, HexFormat.of().parseHex("00".repeat(64))));
    }
  }

  @Test
  void expiredCollateralIsRefused() throws Exception {
    byte[] sgx = Files.readAllBytes(data().resolve("sgx/phala_sgx_quote.bin"));
    try (CasServer cas =
        start(dir, Clock.fixed(Instant.parse("2026-11-01T00:00:00Z"), ZoneOffset.UTC))) {
      createSession(cas, "outdated-tcb");
      assertEquals("EXPIRED_OR_REVOKED", attest(cas, "sgx", TeeMode.GRAMINE_SGX, sgx));
    }
  }
}
