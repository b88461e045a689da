package io.sconej.cas;

import io.sconej.crypto.Rng;
import io.sconej.crypto.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * All sessions and their histories, kept in memory and persisted through the {@link CasStore}.
 *
 * <p>Access control: the creator's certificate fingerprint, and those that the current version's
 * {@code access_policy} names, may read (read or update list) or update (update list). Everyone
 * else gets {@link CasException#noSuchSession()}, exactly as for a session that does not exist.
 * Updates must name the current version's hash as predecessor (else 409) and increase the version.
 *
 * <p>Concurrency: reads ({@link #current}, which attestation uses, {@link #read}, {@link #history})
 * take no lock; each history is an immutable list replaced as a whole. A create or update is
 * checked, then its secrets, session CA and volume keys are generated with no lock held, then it is
 * committed under the commit lock, which re-checks what may have changed meanwhile (the name still
 * free, the head still the predecessor, the quotas) and persists the version. So a create with many
 * x509 secrets delays neither attestations nor other sessions' updates.
 *
 * <p>Quotas ({@link Quotas}, from {@link CasConfig}): policy bytes (413), secrets per session (400
 * naming the line), sessions per creator and versions per session (409), each message naming the
 * {@code CasConfig} field.
 */
final class SessionRegistry {
  /**
   * Limits on what owners may store; see {@link CasConfig} for the defaults.
   *
   * @param maxPolicyBytes largest policy text, UTF-8 bytes
   * @param maxSecretsPerSession most secrets per version
   * @param maxSessionsPerOwner most sessions per creator
   * @param maxVersionsPerSession most versions per session
   */
  record Quotas(
      int maxPolicyBytes,
      int maxSecretsPerSession,
      int maxSessionsPerOwner,
      int maxVersionsPerSession) {
    /** The quotas of {@code c}. */
    static Quotas of(CasConfig c) {
      return new Quotas(
          c.maxPolicyBytes(),
          c.maxSecretsPerSession(),
          c.maxSessionsPerOwner(),
          c.maxVersionsPerSession());
    }
  }

  /** Called between the checks and the generation of a create or update (tests only). */
  static volatile Consumer<SessionRegistry> generationProbe = r -> {};

  private final ConcurrentHashMap<String, List<SessionVersion>> sessions =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Integer> sessionsPerCreator = new ConcurrentHashMap<>();
  private final ReentrantLock commit = new ReentrantLock();
  private final CasStore store;
  private final Quotas quotas;
  private volatile Consumer<SessionVersion> onUpdate = v -> {};

  SessionRegistry(CasStore store, Quotas quotas) {
    this.store = store;
    this.quotas = quotas;
  }

  /** Calls {@code listener} with every version an update stores, after it is stored. */
  void onUpdate(Consumer<SessionVersion> listener) {
    this.onUpdate = listener;
  }

  /** Replays a stored version (at start). */
  void replay(SessionVersion v) {
    commit.lock();
    try {
      add(v);
    } finally {
      commit.unlock();
    }
  }

  /** Creates a session; the caller becomes its creator. */
  SessionVersion create(String yaml, String callerFp) {
    SessionPolicy p = parse(yaml);
    if (p.predecessor().isPresent()) {
      throw CasException.badRequest("field 'predecessor': a new session has no predecessor");
    }
    checkCreate(p, callerFp);
    generationProbe.accept(this);
    SessionVersion v = generate(p, yaml, callerFp, Optional.empty());
    commit.lock();
    try {
      checkCreate(p, callerFp);
      return persist(v);
    } finally {
      commit.unlock();
    }
  }

  /** Updates a session the caller may update; then tells the {@link #onUpdate} listener. */
  SessionVersion update(String name, String yaml, String callerFp) {
    SessionVersion head = head(name, callerFp, true);
    SessionPolicy p = parse(yaml);
    checkUpdate(head, p, name);
    generationProbe.accept(this);
    SessionVersion v = generate(p, yaml, head.creator(), Optional.of(head));
    commit.lock();
    try {
      checkUpdate(head(name, callerFp, true), p, name);
      persist(v);
    } finally {
      commit.unlock();
    }
    onUpdate.accept(v);
    return v;
  }

  /** The current version, if the caller may read it. */
  SessionVersion read(String name, String callerFp) {
    return head(name, callerFp, false);
  }

  /** All versions, oldest first, if the caller may read the session. */
  List<SessionVersion> history(String name, String callerFp) {
    head(name, callerFp, false);
    return sessions.get(name);
  }

  /** The current version of a session, for attestation (no client access check, no lock). */
  Optional<SessionVersion> current(String name) {
    List<SessionVersion> h = sessions.get(name);
    return h == null ? Optional.empty() : Optional.of(h.getLast());
  }

  /** Whether the calling thread holds the commit lock (tests). */
  boolean holdsCommitLock() {
    return commit.isHeldByCurrentThread();
  }

  private SessionPolicy parse(String yaml) {
    int bytes = yaml.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > quotas.maxPolicyBytes()) {
      throw new CasException(
          413,
          "policy is "
              + bytes
              + " bytes; at most "
              + quotas.maxPolicyBytes()
              + " (CasConfig.maxPolicyBytes)");
    }
    return PolicyParser.parse(yaml, quotas.maxSecretsPerSession());
  }

  private void checkCreate(SessionPolicy p, String creator) {
    if (sessions.containsKey(p.name())) {
      throw new CasException(409, "session '" + p.name() + "' already exists");
    }
    if (sessionsPerCreator.getOrDefault(creator, 0) >= quotas.maxSessionsPerOwner()) {
      throw new CasException(
          409,
          "this client certificate has created "
              + quotas.maxSessionsPerOwner()
              + " sessions, the most allowed (CasConfig.maxSessionsPerOwner)");
    }
  }

  private void checkUpdate(SessionVersion head, SessionPolicy p, String name) {
    if (!p.name().equals(name)) {
      throw CasException.badRequest(
          "field 'name': '" + p.name() + "' differs from the session '" + name + "' being updated");
    }
    if (p.predecessor().isEmpty()) {
      throw new CasException(
          409, "field 'predecessor' is required for an update; current hash " + head.hash());
    }
    if (!p.predecessor().get().equals(head.hash())) {
      throw new CasException(
          409,
          "field 'predecessor' is stale or wrong: the current version's"
              + " hash is "
              + head.hash());
    }
    if (p.version() <= head.policy().version()) {
      throw new CasException(
          409, "field 'version' must be greater than " + head.policy().version());
    }
    if (sessions.get(name).size() >= quotas.maxVersionsPerSession()) {
      throw new CasException(
          409,
          "session '"
              + name
              + "' has "
              + quotas.maxVersionsPerSession()
              + " versions, the most allowed (CasConfig.maxVersionsPerSession)");
    }
  }

  private SessionVersion head(String name, String callerFp, boolean forUpdate) {
    List<SessionVersion> h = sessions.get(name);
    if (h == null) {
      throw CasException.noSuchSession();
    }
    SessionVersion v = h.getLast();
    boolean ok =
        v.creator().equals(callerFp)
            || v.policy().updaters().contains(callerFp)
            || (!forUpdate && v.policy().readers().contains(callerFp));
    if (!ok) {
      throw CasException.noSuchSession();
    }
    return v;
  }

  /** Generates the version's secrets, CA and keys, keeping those of {@code previous}; no lock. */
  private static SessionVersion generate(
      SessionPolicy p, String yaml, String creator, Optional<SessionVersion> previous) {
    try {
      var ca = previous.isPresent() ? previous.get().ca() : SecretGenerator.newSessionCa(p.name());
      Map<String, GeneratedSecret> secrets = new LinkedHashMap<>();
      for (var spec : p.secrets().values()) {
        GeneratedSecret old = previous.map(v -> v.secrets().get(spec.name())).orElse(null);
        secrets.put(
            spec.name(),
            old != null && old.spec().equals(spec) ? old : SecretGenerator.generate(spec, ca));
      }
      Map<String, byte[]> volumeKeys = new LinkedHashMap<>();
      for (var s : p.services().values()) {
        for (var vol : s.volumes()) {
          keep(volumeKeys, previous, s.name() + "/" + vol.name());
        }
        if (s.console().equals("protected")) {
          keep(volumeKeys, previous, consoleKeyId(s.name()));
        }
      }
      return new SessionVersion(
          p, yaml, hash(yaml), creator, System.currentTimeMillis(), ca, secrets, volumeKeys);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("secret generation failed", e);
    }
  }

  private static void keep(Map<String, byte[]> keys, Optional<SessionVersion> previous, String id) {
    byte[] old = previous.map(v -> v.volumeKeys().get(id)).orElse(null);
    keys.put(id, old != null ? old : Rng.bytes(32));
  }

  /** Stores {@code v} and makes it current; under the commit lock. */
  private SessionVersion persist(SessionVersion v) {
    try {
      store.append(Json.write(SessionCodec.encode(v)).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot persist session", e);
    }
    add(v);
    return v;
  }

  private void add(SessionVersion v) {
    List<SessionVersion> h = new ArrayList<>(sessions.getOrDefault(v.policy().name(), List.of()));
    if (h.isEmpty()) {
      sessionsPerCreator.merge(v.creator(), 1, Integer::sum);
    }
    h.add(v);
    sessions.put(v.policy().name(), List.copyOf(h));
  }

  /**
   * The key under which a service's console key is kept among the volume keys (and so stored,
   * encrypted at rest, and carried over on update like them); '#' cannot occur in a volume name.
   */
  static String consoleKeyId(String service) {
    return service + "/#console";
  }

  /** The session hash of a policy text. */
  static String hash(String yaml) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update("sconej-session-v1\0".getBytes(StandardCharsets.US_ASCII));
      md.update(yaml.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(md.digest());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 missing", e);
    }
  }
}
