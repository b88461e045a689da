package io.sconej.cas;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Channel keys that attested successfully: the TLS client certificate fingerprint of an attested
 * runtime maps to its session and service for {@code ttl}, so that the runtime can report volume
 * tags over later connections with the same key. In memory only: after a CAS restart a runtime
 * attests again.
 */
final class Grants {
  /**
   * One grant.
   *
   * @param session the session
   * @param service the service
   * @param expiresAtMillis when it lapses
   */
  record Grant(String session, String service, long expiresAtMillis) {}

  private static final int PURGE_ABOVE = 100_000;
  private final ConcurrentHashMap<String, Grant> grants = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration ttl;

  Grants(Clock clock, Duration ttl) {
    this.clock = clock;
    this.ttl = ttl;
  }

  void grant(String fingerprint, String session, String service) {
    long now = clock.millis();
    if (grants.size() > PURGE_ABOVE) {
      grants.values().removeIf(g -> g.expiresAtMillis() < now);
    }
    grants.put(fingerprint, new Grant(session, service, now + ttl.toMillis()));
  }

  Optional<Grant> find(String fingerprint) {
    Grant g = grants.get(fingerprint);
    return g != null && g.expiresAtMillis() >= clock.millis() ? Optional.of(g) : Optional.empty();
  }

  /** The key of a volume's tags. */
  static String volumeId(String session, String service, String volume) {
    return session + "#" + service + "/" + volume;
  }
}
