package io.sconej.verifier;

import io.sconej.attestation.AttestationException;
import io.sconej.attestation.AttestationException.Reason;
import io.sconej.attestation.Evidence;
import io.sconej.attestation.ReportData;
import io.sconej.attestation.TeeMode;
import io.sconej.crypto.ConstantTime;
import io.sconej.crypto.Hex;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a relying party (the CAS) accepts from verified evidence, in the spirit of Conclave's {@code
 * EnclaveConstraint}: allowed measurements and signers plus explicit tolerations. Build one with
 * {@link #builder()} or {@link #parse(String)}; {@link #check} accepts or throws one precise {@link
 * AttestationException}.
 *
 * <p>Compact text form (whitespace-separated, order irrelevant, {@link #toString()} writes it):
 *
 * <pre>
 * M:&lt;64 hex&gt;         an allowed measurement (repeatable)
 * S:&lt;64 hex&gt;         an allowed signer (repeatable)
 * TOLERATE:&lt;name&gt;    simulation | debug | outdated-tcb (repeatable)
 * </pre>
 *
 * <p>Accepted TCB statuses: {@code UpToDate}; {@code Simulated} only for {@link TeeMode#SIM}
 * evidence (which itself needs {@link Toleration#SIMULATION}); with {@link Toleration#OUTDATED_TCB}
 * also {@code SWHardeningNeeded}, {@code ConfigurationNeeded}, {@code
 * ConfigurationAndSWHardeningNeeded}, {@code OutOfDate}, {@code OutOfDateConfigurationNeeded}.
 * Anything else (e.g. {@code Revoked}) is always refused.
 */
public final class AttestationPolicy {
  private static final Set<String> OUTDATED =
      Set.of(
          "SWHardeningNeeded",
          "ConfigurationNeeded",
          "ConfigurationAndSWHardeningNeeded",
          "OutOfDate",
          "OutOfDateConfigurationNeeded");

  private final List<byte[]> measurements;
  private final List<byte[]> signers;
  private final Set<Toleration> tolerations;

  private AttestationPolicy(Builder b) {
    this.measurements = List.copyOf(b.measurements.values());
    this.signers = List.copyOf(b.signers.values());
    this.tolerations = Collections.unmodifiableSet(EnumSet.copyOf(b.tolerations));
  }

  /** A builder; at least one measurement or signer must be allowed. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Parses the compact text form.
   *
   * @throws IllegalArgumentException naming the bad token (bad hex, unknown toleration, unknown
   *     key), or if no measurement or signer is given
   */
  public static AttestationPolicy parse(String text) {
    Builder b = builder();
    for (String token : text.trim().split("\\s+")) {
      int colon = token.indexOf(':');
      String key = colon < 0 ? token : token.substring(0, colon);
      String value = colon < 0 ? "" : token.substring(colon + 1);
      switch (key) {
        case "M" -> b.allowMeasurement(Hex.decode(value, "measurement"));
        case "S" -> b.allowSigner(Hex.decode(value, "signer"));
        case "TOLERATE" -> b.tolerate(Toleration.parse(value));
        default -> throw new IllegalArgumentException("unknown policy token '" + key + "'");
      }
    }
    return b.build();
  }

  /**
   * Accepts {@code evidence} or throws the first violated rule, checked in this order:
   *
   * <ol>
   *   <li>{@link Reason#SIMULATION_NOT_TOLERATED}: sim evidence without {@link
   *       Toleration#SIMULATION};
   *   <li>{@link Reason#DEBUG_NOT_TOLERATED}: a debug enclave without {@link Toleration#DEBUG};
   *   <li>{@link Reason#TCB_NOT_ACCEPTED}: a TCB status not accepted (see the class comment);
   *   <li>{@link Reason#MEASUREMENT_MISMATCH}: neither the measurement nor the signer allowed;
   *   <li>{@link Reason#CHANNEL_BINDING_MISMATCH}: report data differs from {@code
   *       expectedReportData} (compute it with {@link ReportData#bind} from the TLS peer's key and
   *       the nonce this CAS issued).
   * </ol>
   *
   * <p>Byte comparisons are constant-time. Evidence must come from an {@link EvidenceVerifier}.
   */
  public void check(VerifiedEvidence evidence, byte[] expectedReportData)
      throws AttestationException {
    if (evidence.mode() == TeeMode.SIM && !tolerates(Toleration.SIMULATION)) {
      throw new AttestationException(
          Reason.SIMULATION_NOT_TOLERATED,
          "simulation evidence (no hardware protection) and the policy does not tolerate"
              + " simulation");
    }
    if (evidence.debug() && !tolerates(Toleration.DEBUG)) {
      throw new AttestationException(
          Reason.DEBUG_NOT_TOLERATED, "debug enclave and the policy does not tolerate debug");
    }
    String tcb = evidence.tcbStatus();
    boolean tcbOk =
        tcb.equals("UpToDate")
            || (tcb.equals("Simulated") && evidence.mode() == TeeMode.SIM)
            || (OUTDATED.contains(tcb) && tolerates(Toleration.OUTDATED_TCB));
    if (!tcbOk) {
      throw new AttestationException(
          Reason.TCB_NOT_ACCEPTED, "TCB status " + tcb + " not accepted by the policy");
    }
    if (!anyEqual(measurements, evidence.measurement()) && !anyEqual(signers, evidence.signer())) {
      throw new AttestationException(
          Reason.MEASUREMENT_MISMATCH,
          "measurement "
              + Hex.encode(evidence.measurement())
              + " / signer "
              + Hex.encode(evidence.signer())
              + " not allowed by the policy");
    }
    if (!ConstantTime.equal(expectedReportData, evidence.reportData())) {
      throw new AttestationException(
          Reason.CHANNEL_BINDING_MISMATCH,
          "report data does not bind this channel's key and nonce");
    }
  }

  /** Whether the policy tolerates {@code t}. */
  public boolean tolerates(Toleration t) {
    return tolerations.contains(t);
  }

  /** The tolerations (unmodifiable). */
  public Set<Toleration> tolerations() {
    return tolerations;
  }

  /** The allowed measurements (copies). */
  public List<byte[]> measurements() {
    return measurements.stream().map(byte[]::clone).toList();
  }

  /** The allowed signers (copies). */
  public List<byte[]> signers() {
    return signers.stream().map(byte[]::clone).toList();
  }

  private static boolean anyEqual(List<byte[]> allowed, byte[] value) {
    boolean found = false;
    for (byte[] a : allowed) {
      found |= ConstantTime.equal(a, value); // no early exit
    }
    return found;
  }

  /** The compact text form, accepted by {@link #parse(String)}. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    measurements.forEach(m -> parts.add("M:" + Hex.encode(m)));
    signers.forEach(s -> parts.add("S:" + Hex.encode(s)));
    tolerations.forEach(t -> parts.add("TOLERATE:" + t.id()));
    return String.join(" ", parts);
  }

  /** Builds an {@link AttestationPolicy}; values are copied, duplicates ignored. */
  public static final class Builder {
    private final Map<String, byte[]> measurements = new LinkedHashMap<>();
    private final Map<String, byte[]> signers = new LinkedHashMap<>();
    private final Set<Toleration> tolerations = EnumSet.noneOf(Toleration.class);

    private Builder() {}

    /** Allows a measurement (32 bytes for sim, SGX and SEV-SNP/TDX use 32 or 48). */
    public Builder allowMeasurement(byte[] measurement) {
      requireNonEmpty("measurement", measurement);
      measurements.put(Hex.encode(measurement), measurement.clone());
      return this;
    }

    /** Allows every enclave signed by {@code signer} (MRSIGNER). */
    public Builder allowSigner(byte[] signer) {
      requireNonEmpty("signer", signer);
      signers.put(Hex.encode(signer), signer.clone());
      return this;
    }

    /** Tolerates a weakness; see {@link Toleration}. */
    public Builder tolerate(Toleration t) {
      tolerations.add(t);
      return this;
    }

    /**
     * Builds the policy.
     *
     * @throws IllegalArgumentException if no measurement and no signer is allowed
     */
    public AttestationPolicy build() {
      if (measurements.isEmpty() && signers.isEmpty()) {
        throw new IllegalArgumentException(
            "a policy must allow at least one measurement or signer");
      }
      return new AttestationPolicy(this);
    }

    private static void requireNonEmpty(String what, byte[] v) {
      if (v.length == 0 || allZero(v)) {
        throw new IllegalArgumentException(what + " must be non-empty and not all zero");
      }
    }

    private static boolean allZero(byte[] v) {
      int acc = 0;
      for (byte x : v) {
        acc |= x;
      }
      return acc == 0;
    }
  }
}
