package io.sconej.attestation;

import java.util.Locale;

/**
 * Where an enclave runs, named the same way everywhere (policy, CLI, evidence, logs).
 *
 * <p>{@link #SIM} gives NO hardware protection: the host can read and change the running JVM's
 * memory and code. Its evidence is signed by a local software key and a CAS accepts it only where
 * a policy says {@code tolerate: [simulation]}.
 */
public enum TeeMode {
  /** An ordinary JVM: shields protect data at rest and in transit, NOT memory or code. */
  SIM("sim", false),
  /** The JVM inside Gramine-SGX; evidence is an SGX DCAP quote. */
  GRAMINE_SGX("gramine-sgx", true),
  /** The JVM inside an Intel TDX confidential VM; evidence is a TDX quote via configfs-tsm. */
  TDX("tdx", true),
  /** The JVM inside an AMD SEV-SNP confidential VM; evidence via configfs-tsm. */
  SEV_SNP("sev-snp", true);

  private final String id;
  private final boolean hardwareProtected;

  TeeMode(String id, boolean hardwareProtected) {
    this.id = id;
    this.hardwareProtected = hardwareProtected;
  }

  /** The name used in policies, CLI options and evidence. */
  public String id() {
    return id;
  }

  /** True only where a TEE protects the JVM's memory and code from the host. */
  public boolean hardwareProtected() {
    return hardwareProtected;
  }

  /** One line for users saying plainly what this mode protects. */
  public String protectionStatement() {
    return hardwareProtected
        ? "mode " + id + ": memory, code and data protected by the TEE"
        : "WARNING: mode sim gives NO hardware protection: the host can read and modify this"
            + " JVM's memory and code; only data at rest and in transit is shielded";
  }

  /**
   * Parses a mode name.
   *
   * @throws IllegalArgumentException naming the accepted names
   */
  public static TeeMode parse(String name) {
    for (TeeMode m : values()) {
      if (m.id.equals(name.toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "unknown TEE mode '" + name + "' (expected sim, gramine-sgx, tdx or sev-snp)");
  }
}
