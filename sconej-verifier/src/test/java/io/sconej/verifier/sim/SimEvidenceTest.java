package io.sconej.verifier.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.attestation.AttestationException;
import io.sconej.attestation.AttestationException.Reason;
import io.sconej.attestation.Evidence;
import io.sconej.attestation.ReportData;
import io.sconej.attestation.TeeMode;
import io.sconej.attestation.sim.SimEvidence;
import io.sconej.attestation.sim.SimEvidenceDescriptor;
import io.sconej.attestation.sim.SimPlatform;
import io.sconej.attestation.x509.SelfSignedCertificates;
import io.sconej.crypto.Rng;
import io.sconej.verifier.VerifiedEvidence;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every test runs twice: {@code v2} with an Ed25519 platform (what {@code platform init} makes) and
 * {@code v1} with an EC P-256 platform (made by earlier versions, still accepted).
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"v2", "v1"})
class SimEvidenceTest {
  private static final Instant NOW = Instant.now();

  private final int version;
  private final SimPlatform trusted;
  private final SimEvidenceVerifier verifier;

  SimEvidenceTest(String version) {
    this.version = version.equals("v2") ? 2 : 1;
    this.trusted = platform(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));
    this.verifier = SimEvidenceVerifier.create(List.of(trusted.certificate()));
  }

  private SimPlatform platform(Instant notBefore, Instant notAfter) {
    return SimPlatform.generate(keyPair(), notBefore, notAfter);
  }

  private KeyPair keyPair() {
    return version == 2
        ? SelfSignedCertificates.generateEd25519KeyPair()
        : SelfSignedCertificates.generateP256KeyPair();
  }

  private final byte[] measurement = Rng.bytes(32);
  private final byte[] signer = Rng.bytes(32);
  private final byte[] reportData = ReportData.bind(Rng.bytes(91), Rng.bytes(32));

  private Evidence evidence() {
    return SimEvidence.create(trusted, measurement, signer, reportData);
  }

  private static Reason refusal(SimEvidenceVerifier v, Evidence e, Instant at) {
    return assertThrows(AttestationException.class, () -> v.verify(e, at)).reason();
  }

  @Test
  void verifiesAndReportsTheSignedClaims() throws Exception {
    VerifiedEvidence v = verifier.verify(evidence(), NOW);
    assertEquals(TeeMode.SIM, v.mode());
    assertArrayEquals(measurement, v.measurement());
    assertArrayEquals(signer, v.signer());
    assertArrayEquals(reportData, v.reportData());
    assertEquals(trusted.platformIdHex(), v.platformId());
    assertEquals("Simulated", v.tcbStatus());
    assertFalse(v.debug());
    byte[] b = evidence().bytes();
    assertEquals(SimEvidenceDescriptor.LENGTH, b.length);
    assertEquals(version, b[SimEvidenceDescriptor.VERSION_OFFSET + 1]);
  }

  @Test
  void newPlatformsSignVersion2() {
    SimPlatform fresh = SimPlatform.generate(NOW.minusSeconds(60), NOW.plusSeconds(3600));
    byte[] b = SimEvidence.create(fresh, measurement, signer, reportData).bytes();
    assertEquals(SimEvidenceDescriptor.VERSION_ED25519,
        b[SimEvidenceDescriptor.VERSION_OFFSET + 1]);
  }

  @Test
  void refusesEvidenceRelabelledWithTheOtherVersion() {
    // The platform's key type fixes the version: a statement relabelled with the other version
    // is refused before any signature is checked.
    byte[] b = evidence().bytes();
    int other = version == 2 ? 1 : 2;
    b[SimEvidenceDescriptor.VERSION_OFFSET + 1] = (byte) other;
    AttestationException e = assertThrows(AttestationException.class,
        () -> verifier.verify(new Evidence(TeeMode.SIM, b), NOW));
    assertEquals(Reason.BAD_SIGNATURE, e.reason());
    assertTrue(e.getMessage().contains("version " + other), e.getMessage());
  }

  @Test
  void refusesAnUntrustedPlatform() {
    SimPlatform other = platform(NOW.minusSeconds(60), NOW.plusSeconds(3600));
    Evidence e = SimEvidence.create(other, measurement, signer, reportData);
    assertEquals(Reason.UNTRUSTED_PLATFORM, refusal(verifier, e, NOW));
  }

  @Test
  void refusesAnotherKeyClaimingATrustedPlatformId() throws Exception {
    KeyPair keys = keyPair();
    SimPlatform attacker = SimPlatform.generate(keys, NOW.minusSeconds(60), NOW.plusSeconds(3600));
    byte[] b = SimEvidence.create(attacker, measurement, signer, reportData).bytes();
    System.arraycopy(trusted.platformId(), 0, b, SimEvidenceDescriptor.PLATFORM_ID_OFFSET, 32);
    // Re-sign with the attacker's key so only the key differs from a genuine statement.
    Signature s = Signature.getInstance(SimEvidenceDescriptor.signatureAlgorithm(version));
    s.initSign(keys.getPrivate());
    s.update(Arrays.copyOf(b, SimEvidenceDescriptor.SIGNED_LENGTH));
    byte[] sig = s.sign();
    System.arraycopy(sig, 0, b, SimEvidenceDescriptor.SIGNATURE_OFFSET, 64);
    assertEquals(Reason.BAD_SIGNATURE, refusal(verifier, new Evidence(TeeMode.SIM, b), NOW));
  }

  @Test
  void refusesEverySingleBitFlipAtEveryOffset() {
    byte[] good = evidence().bytes();
    for (int i = 0; i < good.length; i++) {
      for (int bit : new int[] {0x01, 0x80}) {
        byte[] b = good.clone();
        b[i] ^= (byte) bit;
        Reason r = refusal(verifier, new Evidence(TeeMode.SIM, b), NOW);
        Reason expected =
            i < SimEvidenceDescriptor.MODE_OFFSET || i == SimEvidenceDescriptor.FLAGS_OFFSET
                ? Reason.MALFORMED_EVIDENCE
                : i == SimEvidenceDescriptor.MODE_OFFSET
                    ? Reason.UNSUPPORTED_MODE
                    : i >= SimEvidenceDescriptor.PLATFORM_ID_OFFSET
                            && i < SimEvidenceDescriptor.REPORT_DATA_OFFSET
                        ? Reason.UNTRUSTED_PLATFORM
                        : Reason.BAD_SIGNATURE;
        assertEquals(expected, r, "flip 0x" + Integer.toHexString(bit) + " at offset " + i);
      }
    }
  }

  @Test
  void refusesTruncatedAndExtendedEvidence() {
    byte[] good = evidence().bytes();
    for (int n = 0; n < good.length; n++) {
      Evidence e = new Evidence(TeeMode.SIM, Arrays.copyOf(good, n));
      assertEquals(Reason.MALFORMED_EVIDENCE, refusal(verifier, e, NOW), "length " + n);
    }
    Evidence longer = new Evidence(TeeMode.SIM, Arrays.copyOf(good, good.length + 1));
    assertEquals(Reason.MALFORMED_EVIDENCE, refusal(verifier, longer, NOW));
  }

  @Test
  void refusesOtherModes() {
    byte[] b = evidence().bytes();
    for (TeeMode m : List.of(TeeMode.GRAMINE_SGX, TeeMode.TDX, TeeMode.SEV_SNP)) {
      assertEquals(Reason.UNSUPPORTED_MODE, refusal(verifier, new Evidence(m, b), NOW));
    }
    for (int mode : new int[] {0, 2, 3, 0xff}) {
      byte[] c = b.clone();
      c[SimEvidenceDescriptor.MODE_OFFSET] = (byte) mode;
      assertEquals(Reason.UNSUPPORTED_MODE, refusal(verifier, new Evidence(TeeMode.SIM, c), NOW));
    }
  }

  @Test
  void refusesAPlatformCertificateOutsideItsValidity() {
    SimPlatform expired = platform(NOW.minus(Duration.ofDays(10)), NOW.minus(Duration.ofDays(1)));
    SimPlatform future = platform(NOW.plus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(10)));
    SimEvidenceVerifier v =
        SimEvidenceVerifier.create(List.of(expired.certificate(), future.certificate()));
    for (SimPlatform p : List.of(expired, future)) {
      Evidence e = SimEvidence.create(p, measurement, signer, reportData);
      assertEquals(Reason.EXPIRED_OR_REVOKED, refusal(v, e, NOW));
    }
    // The trusted platform is also refused once "now" is past its certificate.
    assertEquals(
        Reason.EXPIRED_OR_REVOKED, refusal(verifier, evidence(), NOW.plus(Duration.ofDays(2))));
  }

  @Test
  void refusesFieldsOfTheWrongLength() {
    assertThrows(
        IllegalArgumentException.class,
        () -> SimEvidence.create(trusted, new byte[31], signer, reportData));
    assertThrows(
        IllegalArgumentException.class,
        () -> SimEvidence.create(trusted, measurement, new byte[33], reportData));
    assertThrows(
        IllegalArgumentException.class,
        () -> SimEvidence.create(trusted, measurement, signer, new byte[32]));
  }
}
