package io.sconej.verifier.dcap;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * What a fully verified DCAP quote attests, returned only by {@link DcapVerifier#verify}. Every
 * byte here was covered by a verified signature chain to the pinned Intel root, and the TCB status
 * was derived from verified, current collateral. Byte arrays are copied in and out. Records with
 * array components compare arrays by identity: compare fields, not records.
 *
 * @param teeType SGX or TDX
 * @param tcbStatus converged TCB status (never {@link TcbStatus#REVOKED}); the caller decides which
 *     statuses other than {@link TcbStatus#UP_TO_DATE} it tolerates
 * @param advisoryIds Intel security advisory ids of the matched TCB levels, sorted, no duplicates
 * @param fmspc the platform's FMSPC from the PCK certificate, 12 lower-case hex digits
 * @param measurement MRENCLAVE (SGX, 32 bytes) or MRTD (TDX, 48 bytes)
 * @param rtmrs TDX runtime measurement registers RTMR0..3 (48 bytes each); empty for SGX
 * @param signer MRSIGNER (SGX, 32 bytes); empty for TDX
 * @param isvProdId SGX ISVPRODID; 0 for TDX
 * @param isvSvn SGX ISVSVN; 0 for TDX
 * @param debug true if the SGX DEBUG attribute or the TDX TUD.DEBUG attribute is set: the TEE's
 *     memory is then readable by the host, so such a quote proves nothing about confidentiality
 * @param reportData the 64 bytes of report data chosen by the enclave or TD
 * @param collateralExpiry the earliest next-update time of the collateral used
 * @param body the whole verified report body (384 bytes SGX, 584 bytes TDX), for other fields
 */
public record DcapVerifiedQuote(
    TeeType teeType,
    TcbStatus tcbStatus,
    List<String> advisoryIds,
    String fmspc,
    byte[] measurement,
    List<byte[]> rtmrs,
    byte[] signer,
    int isvProdId,
    int isvSvn,
    boolean debug,
    byte[] reportData,
    Instant collateralExpiry,
    byte[] body) {

  /** Copies every array and list. */
  public DcapVerifiedQuote {
    Objects.requireNonNull(teeType, "teeType");
    Objects.requireNonNull(tcbStatus, "tcbStatus");
    advisoryIds = List.copyOf(advisoryIds);
    Objects.requireNonNull(fmspc, "fmspc");
    measurement = measurement.clone();
    rtmrs = copy(rtmrs);
    signer = signer.clone();
    reportData = reportData.clone();
    Objects.requireNonNull(collateralExpiry, "collateralExpiry");
    body = body.clone();
  }

  private static List<byte[]> copy(List<byte[]> in) {
    List<byte[]> out = new ArrayList<>();
    for (byte[] b : in) {
      out.add(b.clone());
    }
    return List.copyOf(out);
  }

  @Override
  public byte[] measurement() {
    return measurement.clone();
  }

  @Override
  public List<byte[]> rtmrs() {
    return copy(rtmrs);
  }

  @Override
  public byte[] signer() {
    return signer.clone();
  }

  @Override
  public byte[] reportData() {
    return reportData.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  /** The measurement as lower-case hex, for comparison with a policy. */
  public String measurementHex() {
    return HexFormat.of().formatHex(measurement);
  }

  /** The signer as lower-case hex (empty string for TDX). */
  public String signerHex() {
    return HexFormat.of().formatHex(signer);
  }

  @Override
  public String toString() {
    return "DcapVerifiedQuote["
        + teeType
        + ", tcbStatus="
        + tcbStatus
        + ", advisories="
        + advisoryIds
        + ", fmspc="
        + fmspc
        + ", measurement="
        + measurementHex()
        + ", signer="
        + signerHex()
        + ", isvProdId="
        + isvProdId
        + ", isvSvn="
        + isvSvn
        + ", debug="
        + debug
        + ", collateralExpiry="
        + collateralExpiry
        + "]";
  }
}
