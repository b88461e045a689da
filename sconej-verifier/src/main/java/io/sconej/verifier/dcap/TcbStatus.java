package io.sconej.verifier.dcap;

/**
 * TCB status of a verified quote, converged from the platform TCB level, the TDX module TCB level
 * (TDX only) and the QE identity TCB level, as in Intel's quote verification library. {@link
 * #REVOKED} is never returned: a revoked TCB is refused with {@code TCB_REVOKED}. The caller
 * decides which of the other statuses it tolerates.
 */
public enum TcbStatus {
  UP_TO_DATE("UpToDate"),
  SW_HARDENING_NEEDED("SWHardeningNeeded"),
  CONFIGURATION_NEEDED("ConfigurationNeeded"),
  CONFIGURATION_AND_SW_HARDENING_NEEDED("ConfigurationAndSWHardeningNeeded"),
  OUT_OF_DATE("OutOfDate"),
  OUT_OF_DATE_CONFIGURATION_NEEDED("OutOfDateConfigurationNeeded"),
  REVOKED("Revoked");

  private final String jsonName;

  TcbStatus(String jsonName) {
    this.jsonName = jsonName;
  }

  /** The spelling used in Intel's TCB info and QE identity JSON, e.g. {@code "UpToDate"}. */
  public String jsonName() {
    return jsonName;
  }

  /** True for {@link #UP_TO_DATE} only. */
  public boolean isUpToDate() {
    return this == UP_TO_DATE;
  }

  /**
   * Parses Intel's spelling.
   *
   * @throws DcapVerificationException MALFORMED_COLLATERAL for an unknown status
   */
  static TcbStatus fromJson(String s, String field) throws DcapVerificationException {
    for (TcbStatus t : values()) {
      if (t.jsonName.equals(s)) {
        return t;
      }
    }
    throw new DcapVerificationException(
        DcapVerificationException.Reason.MALFORMED_COLLATERAL, field + ": unknown TCB status");
  }
}
