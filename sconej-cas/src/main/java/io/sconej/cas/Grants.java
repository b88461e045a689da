package io.sconej.cas;

import io.sconej.attestation.AttestationException;
import io.sconej.attestation.AttestationException.Reason;
import io.sconej.verifier.VerifiedEvidence;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Channel keys that attested successfully: the TLS client certificate fingerprint of an attested
 * runtime maps to its session and service for {@code ttl}, so that the runtime can report volume
 * tags over later connections with the same key. In memory only: after a CAS restart a runtime
 * attests again.
 *
 * <p>Revocation takes effect at once: a grant keeps the verified claims and the channel binding it
 * was issued for, and every use ({@link #authorise}) checks them again against the session's
 * <em>current</em> version, exactly as a new attestation would be checked (tolerations, measurement
 * or signer, channel binding, modes); a removed service refuses too. In addition {@link
 * #revalidate} runs at each policy update, so a grant that one version refused stays revoked even
 * if a later version admits the runtime again: the runtime must attest again. A revoked grant is
 * refused with 403 naming the reason code until it expires.
 */
final class Grants {
  private static final Logger LOG = Logger.getLogger(Grants.class.getName());

  /**
   * One grant.
   *
   * @param session the session
   * @param service the service
   * @param claims the verified evidence the grant was issued for
   * @param reportData the report data the evidence was bound to (this channel's key and nonce)
   * @param expiresAtMillis when it lapses
   * @param revoked why a version of the session refused it; empty while it is admitted
   */
  record Grant(
      String session,
      String service,
      VerifiedEvidence claims,
      byte[] reportData,
      long expiresAtMillis,
      Optional<Reason> revoked) {
    Grant {
      reportData = reportData.clone();
    }

    /** Throws unless {@code version} of the session admits this grant. */
    void check(SessionVersion version) throws AttestationException {
      SessionPolicy.Service s = version.policy().services().get(service);
      if (s == null) {
        throw new AttestationException(
            Reason.UNKNOWN_CONFIG_ID, "the service is no longer in the session");
      }
      ServiceConstraint.check(s, claims, reportData);
    }

    Grant revoke(Reason r) {
      return new Grant(session, service, claims, reportData, expiresAtMillis, Optional.of(r));
    }
  }

  /**
   * A grant admitted by the session's current version.
   *
   * @param grant the grant
   * @param version the session's current version it was checked against
   * @param service the service in that version
   */
  record Admitted(Grant grant, SessionVersion version, SessionPolicy.Service service) {}

  private static final int PURGE_ABOVE = 100_000;
  private final ConcurrentHashMap<String, Grant> grants = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration ttl;

  Grants(Clock clock, Duration ttl) {
    this.clock = clock;
    this.ttl = ttl;
  }

  /** Remembers that the channel key {@code fingerprint} attested with {@code claims}. */
  void grant(
      String fingerprint,
      String session,
      String service,
      VerifiedEvidence claims,
      byte[] reportData) {
    long now = clock.millis();
    if (grants.size() > PURGE_ABOVE) {
      grants.values().removeIf(g -> g.expiresAtMillis() < now);
    }
    grants.put(
        fingerprint,
        new Grant(session, service, claims, reportData, now + ttl.toMillis(), Optional.empty()));
  }

  /** The unexpired grant of a channel key, revoked or not, unchecked against the policy. */
  Optional<Grant> find(String fingerprint) {
    Grant g = grants.get(fingerprint);
    return g != null && g.expiresAtMillis() >= clock.millis() ? Optional.of(g) : Optional.empty();
  }

  /**
   * The grant of {@code fingerprint}, checked against the current version of its session.
   *
   * @throws CasException 403 if the key has no unexpired grant, or if the grant was revoked or the
   *     session's current version does not admit it (it is then revoked); the message names the
   *     reason code
   */
  Admitted authorise(String fingerprint, SessionRegistry sessions) {
    Grant g =
        find(fingerprint)
            .orElseThrow(() -> new CasException(403, "this TLS client key has not attested"));
    if (g.revoked().isPresent()) {
      throw refusal(g.revoked().get());
    }
    Optional<SessionVersion> current = sessions.current(g.session());
    try {
      if (current.isEmpty()) {
        throw new AttestationException(Reason.UNKNOWN_CONFIG_ID, "the session is gone");
      }
      g.check(current.get());
    } catch (AttestationException e) {
      revoke(fingerprint, g, e, "the current version");
      throw refusal(e.reason());
    }
    return new Admitted(g, current.get(), current.get().policy().services().get(g.service()));
  }

  /** Revokes every grant of {@code v}'s session that {@code v} does not admit. */
  void revalidate(SessionVersion v) {
    for (var e : grants.entrySet()) {
      Grant g = e.getValue();
      if (g.session().equals(v.policy().name()) && g.revoked().isEmpty()) {
        try {
          g.check(v);
        } catch (AttestationException ex) {
          revoke(e.getKey(), g, ex, "version " + v.policy().version());
        }
      }
    }
  }

  private void revoke(String fingerprint, Grant g, AttestationException e, String by) {
    if (grants.replace(fingerprint, g, g.revoke(e.reason()))) {
      LOG.info(
          "grant of "
              + g.session()
              + "/"
              + g.service()
              + " revoked by "
              + by
              + ": "
              + e.reason()
              + ": "
              + e.getMessage());
    }
  }

  private static CasException refusal(Reason r) {
    return new CasException(
        403, "this channel's attestation is no longer admitted by the session's policy: " + r);
  }

  /** The key of a volume's tags. */
  static String volumeId(String session, String service, String volume) {
    return session + "#" + service + "/" + volume;
  }
}
