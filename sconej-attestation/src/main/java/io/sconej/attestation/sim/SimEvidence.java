package io.sconej.attestation.sim;

import static io.sconej.attestation.sim.SimEvidenceDescriptor.*;

import io.sconej.attestation.Evidence;
import io.sconej.attestation.ReportData;
import io.sconej.attestation.TeeMode;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * SIMULATION evidence: a statement "this measurement, with this report data" signed by a local
 * {@link SimPlatform} software key. It proves only that someone holding the platform key signed it;
 * it gives NO hardware protection and a policy must say {@code tolerate: [simulation]} to accept
 * it. Layout in {@link SimEvidenceDescriptor} and {@code docs/formats/sim-evidence.md}.
 */
public final class SimEvidence {
  /** The signer value for an enclave that has none: 32 zero bytes. */
  public static final byte[] NO_SIGNER = new byte[HASH_LENGTH];

  private SimEvidence() {}

  /** {@link #create(SimPlatform, byte[], byte[], byte[], Instant)} created now. */
  public static Evidence create(
      SimPlatform platform, byte[] measurement, byte[] signer, byte[] reportData) {
    return create(platform, measurement, signer, reportData, Instant.now());
  }

  /**
   * Creates and signs sim evidence.
   *
   * @param measurement 32 bytes (the sconej measurement)
   * @param signer 32 bytes ({@link #NO_SIGNER} if none)
   * @param reportData 64 bytes, normally {@link ReportData#bind(byte[], byte[])}
   * @param created the creation time recorded in the statement (informational: freshness comes from
   *     the nonce in the report data)
   * @throws IllegalArgumentException if a field has the wrong length or the time is before 1970
   */
  public static Evidence create(
      SimPlatform platform, byte[] measurement, byte[] signer, byte[] reportData, Instant created) {
    requireLength("measurement", measurement, HASH_LENGTH);
    requireLength("signer", signer, HASH_LENGTH);
    requireLength("report data", reportData, ReportData.LENGTH_BYTES);
    if (created.isBefore(Instant.EPOCH)) {
      throw new IllegalArgumentException("creation time before 1970");
    }
    ByteBuffer b = ByteBuffer.allocate(LENGTH);
    b.put(MAGIC)
        .putShort((short) platform.evidenceVersion())
        .put((byte) MODE_SIM)
        .put((byte) 0)
        .putLong(created.toEpochMilli())
        .put(measurement)
        .put(signer)
        .put(platform.platformId())
        .put(reportData);
    byte[] out = b.array();
    byte[] signed = new byte[SIGNED_LENGTH];
    System.arraycopy(out, 0, signed, 0, SIGNED_LENGTH);
    byte[] sig = platform.sign(signed);
    System.arraycopy(sig, 0, out, SIGNATURE_OFFSET, SIGNATURE_LENGTH);
    return new Evidence(TeeMode.SIM, out);
  }

  private static void requireLength(String what, byte[] v, int n) {
    if (v.length != n) {
      throw new IllegalArgumentException(what + " must be " + n + " bytes, is " + v.length);
    }
  }
}
