package io.sconej.verifier.dcap;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;

/** Locates and loads the shared attestation test data and builds collateral from it. */
final class DcapTestData {
  static final Instant PHALA_SGX_TIME = Instant.parse("2025-06-25T00:00:00Z");
  static final Instant PHALA_TDX_TIME = Instant.parse("2025-06-25T00:00:00Z");
  static final Instant GOTDX_TIME = Instant.parse("2023-06-20T00:00:00Z");
  static final String PHALA_SGX = "sgx/phala_sgx_quote.bin";
  static final String PHALA_TDX = "tdx/phala_tdx_quote.bin";
  static final String GOTDX = "tdx/gotdx_tdx_prod_quote_SPR_E4.dat";
  static final String TRUSTEE_TDX = "tdx/trustee_tdx_quote_4.dat";
  static final String TRUSTEE_SGX = "sgx/trustee_occlum_quote.dat";

  private DcapTestData() {}

  /** Walks up from the working directory until {@code shared/testdata/attestation} is found. */
  static Path dir() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared/testdata/attestation");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "test data missing: no shared/testdata/attestation directory in any parent of "
            + Path.of("").toAbsolutePath()
            + " (expected ../shared/testdata/attestation next to"
            + " the repository)");
  }

  static byte[] bytes(String rel) {
    try {
      return Files.readAllBytes(dir().resolve(rel));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(String rel) {
    return new String(bytes(rel), StandardCharsets.UTF_8);
  }

  static String resource(String name) {
    try (InputStream in = DcapTestData.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("test resource missing: " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static X509Certificate intelRoot() throws Exception {
    return Pki.parsePemChain(bytes("roots/intel_sgx_root_ca.pem"), "root").get(0);
  }

  static DcapCollateral phalaSgx() throws Exception {
    return DcapCollateral.fromDcapQvlJson(text("sgx/phala_sgx_quote_collateral.json"));
  }

  static DcapCollateral phalaTdx() throws Exception {
    return DcapCollateral.fromDcapQvlJson(text("tdx/phala_tdx_quote_collateral.json"));
  }

  /** go-tdx-guest's PCS responses, with the 2018 TCB signing certificate and the Intel root. */
  static DcapCollateral goTdx() throws Exception {
    return DcapCollateral.fromPcsResponses(
        text("tdx/gotdx_sample_tcbInfo_response"),
        text("tdx/gotdx_sample_qeIdentity_response"),
        goTdxSigningChain(),
        bytes("tdx/gotdx_pckcrl"),
        bytes("tdx/gotdx_rootcrl.der"));
  }

  static String goTdxSigningChain() {
    return resource("intel_tcb_signing_2018.pem") + text("roots/intel_sgx_root_ca.pem");
  }

  static DcapVerifier verifier() throws Exception {
    return DcapVerifier.create(intelRoot());
  }
}
