package io.sconej.verifier;

import io.sconej.attestation.ReportData;
import io.sconej.attestation.TeeMode;


/**
 * What a verifier vouches for after checking evidence: the claims a policy is matched against.
 *
 * @param mode the TEE mode; {@link TeeMode#SIM} means NO hardware protection
 * @param measurement the enclave measurement (sconej measurement, MRENCLAVE or MRTD)
 * @param signer the enclave signer (MRSIGNER), empty if the mode has none
 * @param reportData the 64 bytes of report data, see {@link ReportData}
 * @param platformId who produced the evidence (sim platform key id, or FMSPC for DCAP)
 * @param debug true if the enclave runs in debug mode (its memory is readable by the host)
 * @param tcbStatus the platform's TCB status ("UpToDate", "OutOfDate", ...; "Simulated" for sim)
 */
public record VerifiedEvidence(
    TeeMode mode,
    byte[] measurement,
    byte[] signer,
    byte[] reportData,
    String platformId,
    boolean debug,
    String tcbStatus) {
  /** Copies the arrays and checks the report data length. */
  public VerifiedEvidence {
    measurement = measurement.clone();
    signer = signer.clone();
    reportData = reportData.clone();
    if (reportData.length != ReportData.LENGTH_BYTES) {
      throw new IllegalArgumentException("report data must be 64 bytes, is " + reportData.length);
    }
  }

  @Override
  public byte[] measurement() {
    return measurement.clone();
  }

  @Override
  public byte[] signer() {
    return signer.clone();
  }

  @Override
  public byte[] reportData() {
    return reportData.clone();
  }
}
