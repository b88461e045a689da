package io.sconej.crypto;

import java.security.SecureRandom;

/** The one source of randomness for keys, nonces and identifiers. */
public final class Rng {
  private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);

  private Rng() {}

  /** A thread-confined {@link SecureRandom} (the platform default, non-blocking). */
  public static SecureRandom secure() {
    return RANDOM.get();
  }

  /** {@code n} fresh random bytes. */
  public static byte[] bytes(int n) {
    byte[] b = new byte[n];
    secure().nextBytes(b);
    return b;
  }
}
