package io.sconej.fileshield;

import io.sconej.crypto.ConstantTime;
import io.sconej.crypto.Hex;
import java.util.Arrays;

/**
 * The identifier of one committed state of a volume: an HMAC over the volume id, the commit
 * generation and the hash chain of every manifest record. Any other state (older, newer, mixed)
 * has a different tag; a CAS that holds the latest tag detects a rolled-back volume.
 */
public record VolumeTag(byte[] bytes) {
  /** Length of a tag in bytes. */
  public static final int LENGTH_BYTES = 32;

  /** Copies and checks the length. */
  public VolumeTag {
    if (bytes.length != LENGTH_BYTES) {
      throw new IllegalArgumentException(
          "a volume tag has " + LENGTH_BYTES + " bytes, not " + bytes.length);
    }
    bytes = bytes.clone();
  }

  /** Parses a 64-digit hex tag. */
  public static VolumeTag parse(String hex) {
    byte[] b = Hex.decode(hex, "volume tag");
    if (b.length != LENGTH_BYTES) {
      throw new IllegalArgumentException(
          "volume tag: expected " + 2 * LENGTH_BYTES + " hex digits, got " + 2 * b.length);
    }
    return new VolumeTag(b);
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Lower-case hex. */
  public String hex() {
    return Hex.encode(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VolumeTag t && ConstantTime.equal(bytes, t.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
