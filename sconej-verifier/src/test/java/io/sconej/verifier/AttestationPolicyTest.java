package io.sconej.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sconej.attestation.AttestationException;
import io.sconej.attestation.AttestationException.Reason;
import io.sconej.attestation.ChannelIdentity;
import io.sconej.attestation.Evidence;
import io.sconej.attestation.ReportData;
import io.sconej.attestation.TeeMode;
import io.sconej.attestation.sim.SimEvidence;
import io.sconej.attestation.sim.SimPlatform;
import io.sconej.crypto.Hex;
import io.sconej.crypto.Rng;
import io.sconej.verifier.sim.SimEvidenceVerifier;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttestationPolicyTest {
  private final byte[] measurement = Rng.bytes(32);
  private final byte[] signer = Rng.bytes(32);
  private final byte[] spki = ChannelIdentity.generate("t", Duration.ofMinutes(5)).spki();
  private final byte[] nonce = Rng.bytes(32);
  private final byte[] bound = ReportData.bind(spki, nonce);

  private VerifiedEvidence evidence(TeeMode mode, boolean debug, String tcb) {
    return new VerifiedEvidence(mode, measurement, signer, bound, "p", debug, tcb);
  }

  private static Reason refusal(AttestationPolicy p, VerifiedEvidence e, byte[] expected) {
    return assertThrows(AttestationException.class, () -> p.check(e, expected)).reason();
  }

  @Test
  void acceptsVerifiedSimEvidenceEndToEndOnlyWhenSimulationIsTolerated() throws Exception {
    Instant now = Instant.now();
    SimPlatform platform = SimPlatform.generate(now.minusSeconds(60), now.plusSeconds(600));
    Evidence e = SimEvidence.create(platform, measurement, SimEvidence.NO_SIGNER, bound);
    VerifiedEvidence v = SimEvidenceVerifier.create(List.of(platform.certificate())).verify(e, now);
    AttestationPolicy.builder()
        .allowMeasurement(measurement)
        .tolerate(Toleration.SIMULATION)
        .build()
        .check(v, ReportData.bind(spki, nonce));
    assertEquals(
        Reason.SIMULATION_NOT_TOLERATED,
        refusal(AttestationPolicy.builder().allowMeasurement(measurement).build(), v, bound));
  }

  @Test
  void refusesDebugUnlessTolerated() throws Exception {
    var e = evidence(TeeMode.GRAMINE_SGX, true, "UpToDate");
    var strict = AttestationPolicy.builder().allowMeasurement(measurement).build();
    assertEquals(Reason.DEBUG_NOT_TOLERATED, refusal(strict, e, bound));
    AttestationPolicy.builder()
        .allowMeasurement(measurement)
        .tolerate(Toleration.DEBUG)
        .build()
        .check(e, bound);
  }

  @Test
  void acceptsOnlyTheTcbStatusesThePolicyAllows() throws Exception {
    var strict = AttestationPolicy.builder().allowMeasurement(measurement).build();
    var lax = AttestationPolicy.parse("M:" + Hex.encode(measurement) + " TOLERATE:outdated-tcb");
    strict.check(evidence(TeeMode.TDX, false, "UpToDate"), bound);
    for (String s : List.of("OutOfDate", "SWHardeningNeeded", "ConfigurationNeeded")) {
      assertEquals(
          Reason.TCB_NOT_ACCEPTED, refusal(strict, evidence(TeeMode.TDX, false, s), bound));
      lax.check(evidence(TeeMode.TDX, false, s), bound);
    }
    for (String s : List.of("Revoked", "Simulated", "", "uptodate")) {
      assertEquals(Reason.TCB_NOT_ACCEPTED, refusal(lax, evidence(TeeMode.TDX, false, s), bound));
    }
  }

  @Test
  void refusesMeasurementsAndSignersNotAllowed() throws Exception {
    var e = evidence(TeeMode.SEV_SNP, false, "UpToDate");
    var other = AttestationPolicy.builder().allowMeasurement(Rng.bytes(32)).build();
    assertEquals(Reason.MEASUREMENT_MISMATCH, refusal(other, e, bound));
    AttestationPolicy.builder().allowSigner(signer).build().check(e, bound);
    var otherSigner = AttestationPolicy.builder().allowSigner(Rng.bytes(32)).build();
    assertEquals(Reason.MEASUREMENT_MISMATCH, refusal(otherSigner, e, bound));
  }

  @Test
  void refusesReportDataBoundToAnotherKeyOrNonce() {
    var e = evidence(TeeMode.GRAMINE_SGX, false, "UpToDate");
    var p = AttestationPolicy.builder().allowMeasurement(measurement).build();
    byte[] otherKey = ChannelIdentity.generate("x", Duration.ofMinutes(5)).spki();
    assertEquals(Reason.CHANNEL_BINDING_MISMATCH, refusal(p, e, ReportData.bind(otherKey, nonce)));
    assertEquals(
        Reason.CHANNEL_BINDING_MISMATCH, refusal(p, e, ReportData.bind(spki, Rng.bytes(32))));
    assertEquals(Reason.CHANNEL_BINDING_MISMATCH, refusal(p, e, new byte[0]));
  }

  @Test
  void textFormRoundTripsAndRefusesNonsense() {
    var p =
        AttestationPolicy.builder()
            .allowMeasurement(measurement)
            .allowSigner(signer)
            .tolerate(Toleration.SIMULATION)
            .tolerate(Toleration.OUTDATED_TCB)
            .build();
    assertEquals(p.toString(), AttestationPolicy.parse(p.toString()).toString());
    assertThrows(IllegalArgumentException.class, () -> AttestationPolicy.parse("TOLERATE:debug"));
    assertThrows(IllegalArgumentException.class, () -> AttestationPolicy.parse("M:zz"));
    assertThrows(IllegalArgumentException.class, () -> AttestationPolicy.parse("X:00"));
    assertThrows(
        IllegalArgumentException.class,
        () -> AttestationPolicy.parse("M:" + Hex.encode(measurement) + " TOLERATE:everything"));
    assertThrows(IllegalArgumentException.class, () -> AttestationPolicy.builder().build());
    assertThrows(
        IllegalArgumentException.class,
        () -> AttestationPolicy.builder().allowSigner(SimEvidence.NO_SIGNER));
  }
}
