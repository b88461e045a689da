package io.sconej.verifier.dcap;

/** The TEE that produced a DCAP quote, from the quote header's TEE type field. */
public enum TeeType {
  /** Intel SGX enclave (TEE type 0x00000000); the body is a 384-byte SGX report body. */
  SGX,
  /** Intel TDX trust domain (TEE type 0x00000081); the body is a 584-byte TD report body. */
  TDX
}
