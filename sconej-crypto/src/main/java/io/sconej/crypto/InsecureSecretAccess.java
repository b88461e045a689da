package io.sconej.crypto;

/**
 * Token required to read raw secret bytes. Grep for its name to find every place that handles
 * key material outside a primitive.
 */
public final class InsecureSecretAccess {
  private static final InsecureSecretAccess INSTANCE = new InsecureSecretAccess();

  private InsecureSecretAccess() {}

  /** The token. */
  public static InsecureSecretAccess get() {
    return INSTANCE;
  }
}
