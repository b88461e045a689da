package io.sconej.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sconej.attestation.AttestationException;
import io.sconej.attestation.Evidence;
import io.sconej.attestation.TeeMode;
import io.sconej.attestation.sim.SimEvidence;
import io.sconej.attestation.sim.SimPlatform;
import io.sconej.crypto.Rng;
import io.sconej.verifier.sim.SimEvidenceVerifier;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvidenceVerifiersTest {
  @Test
  void dispatchesByModeAndRefusesModesNotConfigured() throws Exception {
    Instant now = Instant.now();
    SimPlatform p = SimPlatform.generate(now.minusSeconds(60), now.plusSeconds(60));
    Evidence e = SimEvidence.create(p, Rng.bytes(32), Rng.bytes(32), Rng.bytes(64));
    EvidenceVerifier v =
        EvidenceVerifiers.byMode(
            Map.of(TeeMode.SIM, SimEvidenceVerifier.create(List.of(p.certificate()))));
    assertEquals(TeeMode.SIM, v.verify(e, now).mode());
    Evidence sgx = new Evidence(TeeMode.GRAMINE_SGX, e.bytes());
    assertEquals(
        AttestationException.Reason.UNSUPPORTED_MODE,
        assertThrows(AttestationException.class, () -> v.verify(sgx, now)).reason());
    EvidenceVerifier none = EvidenceVerifiers.byMode(Map.of());
    assertEquals(
        AttestationException.Reason.UNSUPPORTED_MODE,
        assertThrows(AttestationException.class, () -> none.verify(e, now)).reason());
  }
}
