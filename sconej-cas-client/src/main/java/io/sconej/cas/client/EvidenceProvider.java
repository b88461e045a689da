package io.sconej.cas.client;

import io.sconej.attestation.Evidence;
import java.io.IOException;
import java.security.GeneralSecurityException;

/** Produces evidence whose report data is exactly the 64 bytes given (see ReportData). */
@FunctionalInterface
public interface EvidenceProvider {
  /**
   * Evidence binding {@code reportData}.
   *
   * @throws GeneralSecurityException if the platform cannot produce evidence
   * @throws IOException if the platform device cannot be read
   */
  Evidence evidence(byte[] reportData) throws GeneralSecurityException, IOException;
}
