package io.sconej.attestation.x509;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SelfSignedCertificatesTest {
  @Test
  void encodesUtcAndGeneralizedTimesAndLongNames() throws Exception {
    var keys = SelfSignedCertificates.generateP256KeyPair();
    Instant from = Instant.parse("2020-02-29T12:34:56Z");
    Instant to = Instant.parse("2100-01-01T00:00:00Z");
    String name = "n".repeat(300); // forces multi-byte DER lengths
    X509Certificate c = SelfSignedCertificates.issue(keys, name, from, to);
    assertEquals(from, c.getNotBefore().toInstant());
    assertEquals(to, c.getNotAfter().toInstant());
    assertEquals("CN=" + name, c.getSubjectX500Principal().getName());
    c.verify(keys.getPublic());
  }

  @Test
  void p384KeysAreSignedWithSha384AndP521IsRefused() throws Exception {
    var keys = SelfSignedCertificates.generateP384KeyPair();
    Instant t = Instant.parse("2030-01-01T00:00:00Z");
    X509Certificate c = SelfSignedCertificates.issue(keys, "runtime", t, t.plusSeconds(60));
    assertEquals("SHA384withECDSA", c.getSigAlgName());
    assertEquals("1.2.840.10045.4.3.3", c.getSigAlgOID());
    c.verify(keys.getPublic());
    var p521 = KeyPairGenerator.getInstance("EC");
    p521.initialize(new java.security.spec.ECGenParameterSpec("secp521r1"));
    var big = p521.generateKeyPair();
    assertThrows(IllegalArgumentException.class,
        () -> SelfSignedCertificates.issue(big, "x", t, t.plusSeconds(1)));
  }

  @Test
  void ed25519KeysAreSignedWithEd25519AndEd448IsRefused() throws Exception {
    var keys = SelfSignedCertificates.generateEd25519KeyPair();
    Instant t = Instant.parse("2030-01-01T00:00:00Z");
    X509Certificate c = SelfSignedCertificates.issue(keys, "runtime", t, t.plusSeconds(60));
    assertEquals("1.3.101.112", c.getSigAlgOID());
    assertEquals(null, c.getSigAlgParams());
    c.verify(keys.getPublic());
    // Another Ed25519 key does not verify it.
    assertThrows(java.security.SignatureException.class,
        () -> c.verify(SelfSignedCertificates.generateEd25519KeyPair().getPublic()));
    var ed448 = KeyPairGenerator.getInstance("Ed448").generateKeyPair();
    assertThrows(IllegalArgumentException.class,
        () -> SelfSignedCertificates.issue(ed448, "x", t, t.plusSeconds(1)));
  }

  @Test
  void refusesNonEcKeysAndBadValidity() throws Exception {
    var rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
    var keys = SelfSignedCertificates.generateP256KeyPair();
    Instant t = Instant.parse("2030-01-01T00:00:00Z");
    assertThrows(
        IllegalArgumentException.class,
        () -> SelfSignedCertificates.issue(rsa, "x", t, t.plusSeconds(1)));
    assertThrows(
        IllegalArgumentException.class, () -> SelfSignedCertificates.issue(keys, "x", t, t));
    assertThrows(
        IllegalArgumentException.class,
        () -> SelfSignedCertificates.issue(keys, "", t, t.plusSeconds(1)));
  }
}
