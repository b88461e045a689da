package io.sconej.cas.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.KeyPair;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SelfSignedCertTest {
  @Test
  void certificateParsesVerifiesAndRoundTripsThroughPem() throws Exception {
    KeyPair k = SelfSignedCert.newEcKeyPair();
    var c = SelfSignedCert.create(k, "sconej-runtime", Duration.ofDays(1));
    c.verify(k.getPublic());
    c.checkValidity();
    assertEquals(-1, c.getBasicConstraints(), "never a CA");
    assertEquals("CN=sconej-runtime", c.getSubjectX500Principal().getName());
    var back = Pem.certificate(Pem.encode("CERTIFICATE", c.getEncoded()));
    assertArrayEquals(c.getEncoded(), back.getEncoded());
    var key = Pem.ecPrivateKey(Pem.encode("PRIVATE KEY", k.getPrivate().getEncoded()));
    assertArrayEquals(k.getPrivate().getEncoded(), key.getEncoded());
    assertEquals(64, Pem.fingerprint(c).length());
  }
}
