package io.sconej.attestation;

import java.util.Locale;

/**
 * Where an enclave runs, named the same way everywhere (policy, CLI, evidence, logs).
 *
 * <p>{@link #SIM} gives NO hardware protection and NO protection against the machine that runs
 * the enclave: its evidence is signed by a local software key, so whoever holds that key (root on
 * that machine) can attest as any enclave and receive every secret and volume key, and the host
 * can read and change the running JVM's memory and code. What sim does stop is someone with only
 * the storage, the backups or the network, and a CAS accepts sim evidence only from platforms it
 * was told about and only where a policy says {@code tolerate: [simulation]}.
 */
public enum TeeMode {
  /**
   * An ordinary JVM: NOT protected against the machine that runs it (its root holds the platform
   * key, so it can attest as any enclave); shields protect data only from the storage, the backups
   * and the network.
   */
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

  /**
   * One line for users saying plainly what this mode protects, and against whom. For {@link #SIM}
   * it says that root on the machine that runs the enclave can attest as any enclave and receive
   * every secret and volume key, and that sim protects data only against someone with the
   * storage, the backups or the network (printed at every enclave start, and by {@code platform
   * init}, {@code attest} and a CAS that trusts a sim platform).
   */
  public String protectionStatement() {
    return hardwareProtected
        ? "mode " + id + ": memory, code and data protected by the TEE"
        : "WARNING: mode sim gives NO hardware protection and NO protection against the machine"
            + " that runs the enclave: its root holds the sim platform key, so it can attest as"
            + " any enclave and receive every secret and volume key, and it can read and change"
            + " the JVM's memory and code. Sim protects data only against someone with the"
            + " storage, the backups or the network, not that machine";
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
