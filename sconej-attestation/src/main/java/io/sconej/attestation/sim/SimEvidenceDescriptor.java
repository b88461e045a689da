package io.sconej.attestation.sim;

import java.nio.charset.StandardCharsets;

/**
 * Byte layout of SIMULATION evidence (fixed length {@value #LENGTH} bytes, all integers
 * big-endian), specified in {@code docs/formats/sim-evidence.md}. Two versions share the layout and
 * differ only in the signature algorithm, which the platform key fixes: version 1 is signed by an
 * EC P-256 platform key (ECDSA with SHA-256), version 2 by an Ed25519 platform key; a verifier
 * never accepts one key type's signature under the other's version.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            magic "SCNJ-SIM" (8 bytes, ASCII)                  |
 * +-------------------------------+---------------+---------------+
 * |      version u16 = 1 or 2     | mode u8 = 1   | flags u8 = 0  |
 * +-------------------------------+---------------+---------------+
 * |        created, u64 milliseconds since the epoch (UTC)        |
 * +---------------------------------------------------------------+
 * |                   measurement (32 bytes)                      |
 * |                   signer (32 bytes)                           |
 * |                   platform id (32 bytes)                      |
 * |                   report data (64 bytes)                      |
 * +---------------------------------------------------------------+
 * |  signature (64 bytes) over bytes [0, 180) by the platform key: |
 * |  v1 ECDSA P-256 / SHA-256, P1363 r || s; v2 Ed25519 (RFC 8032)|
 * +---------------------------------------------------------------+
 * </pre>
 */
public final class SimEvidenceDescriptor {
  /** The 8 magic bytes, "SCNJ-SIM" in ASCII. */
  public static final byte[] MAGIC = "SCNJ-SIM".getBytes(StandardCharsets.US_ASCII);

  /** Version 1: signed by an EC P-256 platform key (ECDSA with SHA-256, P1363 r || s). */
  public static final int VERSION_P256 = 1;

  /** Version 2: signed by an Ed25519 platform key (RFC 8032); what new platforms sign. */
  public static final int VERSION_ED25519 = 2;

  /** The mode byte of simulation evidence (the only mode this format carries). */
  public static final int MODE_SIM = 1;

  /** Offset of the magic. */
  public static final int MAGIC_OFFSET = 0;

  /** Offset of the u16 version. */
  public static final int VERSION_OFFSET = 8;

  /** Offset of the mode byte. */
  public static final int MODE_OFFSET = 10;

  /** Offset of the flags byte (must be 0). */
  public static final int FLAGS_OFFSET = 11;

  /** Offset of the u64 creation time in epoch milliseconds. */
  public static final int CREATED_OFFSET = 12;

  /** Offset of the 32-byte measurement. */
  public static final int MEASUREMENT_OFFSET = 20;

  /** Offset of the 32-byte signer. */
  public static final int SIGNER_OFFSET = 52;

  /** Offset of the 32-byte platform id. */
  public static final int PLATFORM_ID_OFFSET = 84;

  /** Offset of the 64-byte report data. */
  public static final int REPORT_DATA_OFFSET = 116;

  /** Offset of the 64-byte signature. */
  public static final int SIGNATURE_OFFSET = 180;

  /** Bytes covered by the signature: {@code [0, SIGNED_LENGTH)}. */
  public static final int SIGNED_LENGTH = SIGNATURE_OFFSET;

  /** Length of measurement, signer and platform id fields. */
  public static final int HASH_LENGTH = 32;

  /** Length of the signature field. */
  public static final int SIGNATURE_LENGTH = 64;

  /** Total length: anything shorter or longer is malformed. */
  public static final int LENGTH = SIGNATURE_OFFSET + SIGNATURE_LENGTH;

  /**
   * The version a platform key of this type signs: {@link #VERSION_P256} for an EC P-256 key,
   * {@link #VERSION_ED25519} for an Ed25519 key, -1 for any other key.
   */
  public static int versionFor(java.security.PublicKey key) {
    if (key instanceof java.security.interfaces.ECPublicKey k
        && k.getParams().getCurve().getField().getFieldSize() == 256) {
      return VERSION_P256;
    }
    return io.sconej.attestation.x509.SelfSignedCertificates.isEd25519(key) ? VERSION_ED25519 : -1;
  }

  /** JCA name of the signature of {@code version} (1 or 2), 64 bytes either way. */
  public static String signatureAlgorithm(int version) {
    return version == VERSION_ED25519 ? "Ed25519" : "SHA256withECDSAinP1363Format";
  }

  private SimEvidenceDescriptor() {}
}
