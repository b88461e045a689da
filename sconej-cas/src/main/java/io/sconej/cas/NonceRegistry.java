package io.sconej.cas;

import io.sconej.crypto.Rng;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fresh single-use attestation nonces (32 random bytes) with a short lifetime. A nonce is removed
 * when it is presented, whatever the outcome, so evidence can never be replayed; nonces are kept in
 * memory only (a CAS restart invalidates outstanding ones). At most {@code max} are outstanding;
 * beyond that issuing is refused with 429.
 */
final class NonceRegistry {
  static final int NONCE_BYTES = 32;

  private final ConcurrentHashMap<String, Long> expiries = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration ttl;
  private final int max;

  NonceRegistry(Clock clock, Duration ttl, int max) {
    this.clock = clock;
    this.ttl = ttl;
    this.max = max;
  }

  byte[] issue() {
    if (expiries.size() >= max) {
      long now = clock.millis();
      expiries.values().removeIf(e -> e < now);
      if (expiries.size() >= max) {
        throw new CasException(429, "too many outstanding nonces; retry later");
      }
    }
    byte[] n = Rng.bytes(NONCE_BYTES);
    expiries.put(HexFormat.of().formatHex(n), clock.millis() + ttl.toMillis());
    return n;
  }

  /** True exactly once for an issued, unexpired nonce. */
  boolean consume(byte[] nonce) {
    Long exp = expiries.remove(HexFormat.of().formatHex(nonce));
    return exp != null && exp >= clock.millis();
  }

  Duration ttl() {
    return ttl;
  }
}
