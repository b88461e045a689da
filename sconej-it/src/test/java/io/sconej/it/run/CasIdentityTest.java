package io.sconej.it.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.it.run.SconejHarness.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The enclave talks only to the CAS it was measured for: a host that runs its own CAS (B), with a
 * session that admits the genuine enclave's measurement, cannot feed an enclave measured for CAS
 * A its configuration, secrets and volume keys.
 */
class CasIdentityTest {
  @TempDir Path workA;
  @TempDir Path workB;

  @Test
  void anEnclaveMeasuredForCasARefusesCasBAndRunsWithA() throws Exception {
    try (SconejHarness a = new SconejHarness(workA); SconejHarness b = new SconejHarness(workB)) {
      Path plat = a.startSimCas();
      b.startCas(plat); // the host's CAS trusts the same sim platform
      assertEquals(0, b.sconej("session", "identity", "--out", "owner.pem").exit());
      Path caA = workA.resolve("cas/cas-ca.pem");
      Path caB = workB.resolve("cas/cas-ca.pem");
      String idA = keyHash(caA);
      String idB = keyHash(caB);
      Path app = SconejHarness.jarOf(workA.resolve("hello.jar"), HelloApp.class);

      String measured = a.measurement(app.toString());
      assertEquals(measured, a.measurement(app.toString(), "--cas-identity", idA));
      assertNotEquals(measured, b.measurement(app.toString()), "the CAS key is measured");
      String policy = """
          name: it/casid
          version: 1
          services:
            - name: app
              attestation: {measurements: [%s], modes: [sim]}
              command: [%s, /data]
              volumes: [{name: data, path: /data, kind: encrypted}]
              console: unprotected
          security: {tolerate: [simulation]}
          """.formatted(measured, HelloApp.class.getName());
      a.createSession("s.yaml", policy);
      b.createSession("s.yaml", policy); // the host's CAS admits the genuine measurement

      Result toB = run(a, b.casPort, caB, idA, Files.createDirectories(workA.resolve("vb")), plat,
          app);
      assertEquals(3, toB.exit(), toB.err());
      assertTrue(toB.err().contains("sconej run: refusing the CAS: the enclave was measured for"
          + " the CAS key sha256:" + idA + ", but " + caB + " holds the key sha256:" + idB),
          toB.err());
      assertFalse(toB.out().contains("APP-STARTED"), toB.out());

      // Without --cas-identity the enclave is measured for the certificate it is given: the
      // host's CAS then receives another measurement, which no session for A's admits.
      Result derived = run(a, b.casPort, caB, null, workA.resolve("vb"), plat, app);
      assertEquals(3, derived.exit(), derived.err());
      assertTrue(derived.err().contains("MEASUREMENT_MISMATCH"), derived.err());

      // A's certificate but B's address: the TLS handshake refuses B (its certificate is not A's).
      Result addr = run(a, b.casPort, caA, idA, workA.resolve("vb"), plat, app);
      assertEquals(4, addr.exit(), addr.err());
      assertFalse(addr.out().contains("APP-STARTED"), addr.out());

      Result toA = run(a, a.casPort, caA, idA, Files.createDirectories(workA.resolve("va")),
          plat, app);
      assertEquals(0, toA.exit(), toA.err());
      assertTrue(toA.out().contains("APP-STARTED"), toA.out());
    }
  }

  private static Result run(SconejHarness h, int port, Path ca, String identity, Path vol,
      Path plat, Path app) throws Exception {
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("run", "--cas",
        "127.0.0.1:" + port, "--cas-ca", ca.toString(), "--config-id", "it/casid/app",
        "--class-path", app.toString(), "--volume", "data=" + vol, "--platform",
        plat.toString()));
    if (identity != null) {
      args.addAll(java.util.List.of("--cas-identity", identity));
    }
    return h.sconej(args.toArray(String[]::new));
  }

  /** SHA-256 of the certificate's SubjectPublicKeyInfo, computed here independently. */
  private static String keyHash(Path pem) throws Exception {
    try (var in = Files.newInputStream(pem)) {
      byte[] spki = CertificateFactory.getInstance("X.509").generateCertificate(in)
          .getPublicKey().getEncoded();
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(spki));
    }
  }
}
