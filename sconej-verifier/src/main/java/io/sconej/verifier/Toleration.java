package io.sconej.verifier;

import io.sconej.attestation.TeeMode;
import java.util.Locale;

/**
 * A weakness a policy may explicitly accept, named as in a session's {@code security: tolerate:
 * [...]} list. Each one lowers the protection an attested enclave gets; none is on by default.
 */
public enum Toleration {
  /**
   * Accept {@link TeeMode#SIM} evidence: NO hardware protection, and none against the machine
   * that holds the sim platform key (it can attest as any enclave the policy admits).
   */
  SIMULATION("simulation"),
  /** Accept debug enclaves, whose memory the host can read and write. */
  DEBUG("debug"),
  /** Accept a platform whose TCB is out of date or needs configuration (not a revoked one). */
  OUTDATED_TCB("outdated-tcb");

  private final String id;

  Toleration(String id) {
    this.id = id;
  }

  /** The name used in policies. */
  public String id() {
    return id;
  }

  /**
   * Parses a toleration name.
   *
   * @throws IllegalArgumentException naming the accepted names
   */
  public static Toleration parse(String name) {
    for (Toleration t : values()) {
      if (t.id.equals(name.toLowerCase(Locale.ROOT))) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown toleration '" + name + "' (expected simulation, debug or outdated-tcb)");
  }
}
