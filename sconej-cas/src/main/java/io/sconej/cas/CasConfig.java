package io.sconej.cas;

import io.sconej.attestation.TeeMode;
import io.sconej.verifier.EvidenceVerifier;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The CAS's configuration, one record with documented defaults (see {@link #builder(Path)}).
 *
 * @param dataDir where the store, its key (sim mode) and {@code cas-ca.pem} live
 * @param bindAddress listening address; default {@code 127.0.0.1}
 * @param port listening port; default 8443, 0 for a random free port
 * @param verifiers the evidence verifier per TEE mode; evidence of other modes is refused
 *     (UNSUPPORTED_MODE); default none
 * @param nonceTtl how long a nonce stays valid; default 60 s
 * @param maxOutstandingNonces nonces issued and not yet used or expired; default 100,000
 * @param maxBodyBytes largest request body; default 256 KiB
 * @param idleTimeoutMillis idle connections are closed after this; default 30,000
 * @param handshakeTimeout a TLS handshake must finish this long after the connection was accepted
 *     (a deadline, not per read); default 10 s
 * @param requestTimeout once a request line arrived, the rest of the head and the body must arrive
 *     within this (a deadline); also the per-read timeout; default 10 s
 * @param maxHandshakes connections in their TLS handshake at once; one more closes the oldest such
 *     handshake; default 256
 * @param maxConnectionsPerPeer open connections per remote IP address; default 256
 * @param maxConnections open connections in all (Helidon's {@code maxTcpConnections}); default
 *     8,192
 * @param maxConcurrentRequests requests handled at once, more are answered 503; default 1,024
 * @param grantTtl how long an attested channel key may report volume tags; default 24 h
 * @param maxPolicyBytes largest policy text (UTF-8) a create or update may post; default 64 KiB
 *     (413 above)
 * @param maxSecretsPerSession most secrets one session version may specify; default 128 (400 naming
 *     the first secret over the limit)
 * @param maxSessionsPerOwner most sessions one creator (client certificate) may create; default 256
 *     (409 above; sessions are never deleted)
 * @param maxVersionsPerSession most versions one session's history may hold; default 1,000 (409
 *     above: every version is kept, with its generated secrets)
 * @param altNames subject alternative names of the CAS certificate; default localhost, 127.0.0.1
 * @param clock the time for evidence verification, nonce and grant expiry; default system UTC
 */
public record CasConfig(
    Path dataDir,
    String bindAddress,
    int port,
    Map<TeeMode, EvidenceVerifier> verifiers,
    Duration nonceTtl,
    int maxOutstandingNonces,
    int maxBodyBytes,
    int idleTimeoutMillis,
    Duration handshakeTimeout,
    Duration requestTimeout,
    int maxHandshakes,
    int maxConnectionsPerPeer,
    int maxConnections,
    int maxConcurrentRequests,
    Duration grantTtl,
    int maxPolicyBytes,
    int maxSecretsPerSession,
    int maxSessionsPerOwner,
    int maxVersionsPerSession,
    List<String> altNames,
    Clock clock) {
  /** Copies the collections; refuses quotas below 1. */
  public CasConfig {
    for (int q :
        new int[] {
          maxPolicyBytes, maxSecretsPerSession, maxSessionsPerOwner, maxVersionsPerSession
        }) {
      if (q < 1) {
        throw new IllegalArgumentException("CAS quotas must be at least 1");
      }
    }
    verifiers = Map.copyOf(verifiers);
    altNames = List.copyOf(altNames);
  }

  /** A builder with the defaults above. */
  public static Builder builder(Path dataDir) {
    return new Builder(dataDir);
  }

  /** Builds a {@link CasConfig}. */
  public static final class Builder {
    private final Path dataDir;
    private String bindAddress = "127.0.0.1";
    private int port = 8443;
    private final Map<TeeMode, EvidenceVerifier> verifiers = new EnumMap<>(TeeMode.class);
    private Duration nonceTtl = Duration.ofSeconds(60);
    private int maxOutstandingNonces = 100_000;
    private int maxBodyBytes = 256 << 10;
    private int idleTimeoutMillis = 30_000;
    private Duration handshakeTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private int maxHandshakes = 256;
    private int maxConnectionsPerPeer = 256;
    private int maxConnections = 8192;
    private int maxConcurrentRequests = 1024;
    private Duration grantTtl = Duration.ofHours(24);
    private int maxPolicyBytes = 64 << 10;
    private int maxSecretsPerSession = 128;
    private int maxSessionsPerOwner = 256;
    private int maxVersionsPerSession = 1_000;
    private List<String> altNames = List.of("localhost", "127.0.0.1");
    private Clock clock = Clock.systemUTC();

    private Builder(Path dataDir) {
      this.dataDir = dataDir;
    }

    /** Listening address. */
    public Builder bindAddress(String a) {
      this.bindAddress = a;
      return this;
    }

    /** Listening port, 0 for random. */
    public Builder port(int p) {
      this.port = p;
      return this;
    }

    /** Accepts evidence of {@code mode} through {@code verifier}. */
    public Builder verifier(TeeMode mode, EvidenceVerifier verifier) {
      verifiers.put(mode, verifier);
      return this;
    }

    /** Nonce lifetime. */
    public Builder nonceTtl(Duration d) {
      this.nonceTtl = d;
      return this;
    }

    /** Largest request body. */
    public Builder maxBodyBytes(int n) {
      this.maxBodyBytes = n;
      return this;
    }

    /** Largest policy text a create or update may post, in UTF-8 bytes. */
    public Builder maxPolicyBytes(int n) {
      this.maxPolicyBytes = n;
      return this;
    }

    /** Most secrets one session version may specify. */
    public Builder maxSecretsPerSession(int n) {
      this.maxSecretsPerSession = n;
      return this;
    }

    /** Most sessions one creator may create. */
    public Builder maxSessionsPerOwner(int n) {
      this.maxSessionsPerOwner = n;
      return this;
    }

    /** Most versions one session's history may hold. */
    public Builder maxVersionsPerSession(int n) {
      this.maxVersionsPerSession = n;
      return this;
    }

    /** Whole-handshake deadline. */
    public Builder handshakeTimeout(Duration d) {
      this.handshakeTimeout = d;
      return this;
    }

    /** Request head and body deadline, and per-read timeout. */
    public Builder requestTimeout(Duration d) {
      this.requestTimeout = d;
      return this;
    }

    /** Connections in their TLS handshake at once. */
    public Builder maxHandshakes(int n) {
      this.maxHandshakes = n;
      return this;
    }

    /** Open connections per remote IP address. */
    public Builder maxConnectionsPerPeer(int n) {
      this.maxConnectionsPerPeer = n;
      return this;
    }

    /** Open connections in all. */
    public Builder maxConnections(int n) {
      this.maxConnections = n;
      return this;
    }

    /** Certificate subject alternative names. */
    public Builder altNames(List<String> names) {
      this.altNames = names;
      return this;
    }

    /** The clock (tests verify archived evidence at its collateral's time). */
    public Builder clock(Clock c) {
      this.clock = c;
      return this;
    }

    /** The configuration. */
    public CasConfig build() {
      return new CasConfig(
          dataDir,
          bindAddress,
          port,
          verifiers,
          nonceTtl,
          maxOutstandingNonces,
          maxBodyBytes,
          idleTimeoutMillis,
          handshakeTimeout,
          requestTimeout,
          maxHandshakes,
          maxConnectionsPerPeer,
          maxConnections,
          maxConcurrentRequests,
          grantTtl,
          maxPolicyBytes,
          maxSecretsPerSession,
          maxSessionsPerOwner,
          maxVersionsPerSession,
          altNames,
          clock);
    }
  }
}
