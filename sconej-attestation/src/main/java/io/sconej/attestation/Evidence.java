package io.sconej.attestation;

/**
 * Attestation evidence as a runtime presents it: its mode and the mode's encoded evidence (a
 * signed sim statement, an SGX or TDX quote, an SEV-SNP report).
 *
 * @param mode the TEE the evidence claims
 * @param bytes the encoded evidence; its report data binds a channel key and a CAS nonce
 */
public record Evidence(TeeMode mode, byte[] bytes) {
  /** Copies the bytes. */
  public Evidence {
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }
}
