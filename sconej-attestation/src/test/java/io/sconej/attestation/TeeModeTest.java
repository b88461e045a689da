package io.sconej.attestation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The start warning says exactly what sim protects (issue 10, item 7): the machine that runs the
 * enclave can attest as any enclave and receive every secret and volume key; sim stops only
 * someone with the storage, the backups or the network. It must not claim that sim shields data
 * at rest, the console or secret release against the host.
 */
class TeeModeTest {
  private static final String SIM = TeeMode.SIM.protectionStatement();

  @Test
  void theSimWarningSaysTheHostCanAttestAndReceiveEverySecretAndVolumeKey() {
    for (String phrase :
        List.of(
            "NO hardware protection",
            "NO protection against the machine that runs the enclave",
            "holds the sim platform key",
            "attest as any enclave",
            "every secret and volume key",
            "memory and code")) {
      assertTrue(SIM.contains(phrase), "missing '" + phrase + "': " + SIM);
    }
  }

  @Test
  void theSimWarningNamesTheAdversariesSimStopsAndNoOthers() {
    assertTrue(
        SIM.contains("only against someone with the storage, the backups or the network"), SIM);
    assertTrue(SIM.endsWith("not that machine"), SIM);
    String lower = SIM.toLowerCase(Locale.ROOT);
    for (String claim :
        List.of("data at rest", "in transit is shielded", "shielded", "console is protected")) {
      assertFalse(lower.contains(claim), "sim must not claim '" + claim + "': " + SIM);
    }
  }

  @Test
  void theWarningIsOneLineAndHardwareModesNameTheirTee() {
    for (TeeMode m : TeeMode.values()) {
      assertFalse(m.protectionStatement().contains("\n"), m.id());
      assertEquals(!m.hardwareProtected(), m.protectionStatement().startsWith("WARNING: "));
    }
    assertTrue(TeeMode.TDX.protectionStatement().contains("tdx"));
    assertEquals(TeeMode.SEV_SNP, TeeMode.parse("SEV-SNP"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> TeeMode.parse("sgx"))
            .getMessage()
            .contains("expected sim, gramine-sgx, tdx or sev-snp"));
  }
}
