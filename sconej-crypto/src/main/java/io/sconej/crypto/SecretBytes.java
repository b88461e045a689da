package io.sconej.crypto;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * An immutable holder of secret key material.
 *
 * <p>Security guarantees: {@link #toString()} never reveals the bytes; the bytes are only
 * reachable through {@link #bytes(InsecureSecretAccess)}, whose token type names every place that
 * touches them; {@link #destroy()} zeroes the copy held here.
 */
public final class SecretBytes {
  private final byte[] bytes;
  private volatile boolean destroyed;

  private SecretBytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Copies {@code bytes}; the caller should zero its own copy. */
  public static SecretBytes copyOf(byte[] bytes) {
    return new SecretBytes(bytes.clone());
  }

  /** Fresh random bytes from a {@link SecureRandom}. */
  public static SecretBytes random(int lengthBytes) {
    byte[] b = new byte[lengthBytes];
    Rng.secure().nextBytes(b);
    return new SecretBytes(b);
  }

  /** Length in bytes. */
  public int length() {
    return bytes.length;
  }

  /** A copy of the secret bytes; the token makes every such access greppable. */
  public byte[] bytes(InsecureSecretAccess access) {
    if (access == null) {
      throw new NullPointerException("access token");
    }
    if (destroyed) {
      throw new IllegalStateException("secret was destroyed");
    }
    return bytes.clone();
  }

  /** Constant-time equality of the secret contents. */
  public boolean sameAs(SecretBytes other) {
    return ConstantTime.equal(bytes, other.bytes);
  }

  /** Zeroes the bytes held here; later access fails. */
  public void destroy() {
    destroyed = true;
    Arrays.fill(bytes, (byte) 0);
  }

  @Override
  public String toString() {
    return "SecretBytes[" + bytes.length + " bytes, redacted]";
  }
}
