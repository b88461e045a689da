package io.sconej.cas;

import io.sconej.cas.client.Json;
import io.sconej.crypto.Rng;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * All sessions and their histories, kept in memory and persisted through the {@link CasStore}.
 *
 * <p>Access control: the creator's certificate fingerprint, and those that the current version's
 * {@code access_policy} names, may read (read or update list) or update (update list). Everyone
 * else gets {@link CasException#noSuchSession()}, exactly as for a session that does not exist.
 * Updates must name the current version's hash as predecessor (else 409) and increase the version.
 */
final class SessionRegistry {
  private final Map<String, List<SessionVersion>> sessions = new HashMap<>();
  private final CasStore store;
  private volatile Consumer<SessionVersion> onUpdate = v -> {};

  SessionRegistry(CasStore store) {
    this.store = store;
  }

  /** Calls {@code listener} with every version an update stores, after it is stored. */
  void onUpdate(Consumer<SessionVersion> listener) {
    this.onUpdate = listener;
  }

  /** Replays a stored version (at start). */
  synchronized void replay(SessionVersion v) {
    sessions.computeIfAbsent(v.policy().name(), k -> new ArrayList<>()).add(v);
  }

  /** Creates a session; the caller becomes its creator. */
  synchronized SessionVersion create(String yaml, String callerFp) {
    SessionPolicy p = PolicyParser.parse(yaml);
    if (p.predecessor().isPresent()) {
      throw CasException.badRequest("field 'predecessor': a new session has no predecessor");
    }
    if (sessions.containsKey(p.name())) {
      throw new CasException(409, "session '" + p.name() + "' already exists");
    }
    return persist(p, yaml, callerFp, Optional.empty());
  }

  /** Updates a session the caller may update; then tells the {@link #onUpdate} listener. */
  SessionVersion update(String name, String yaml, String callerFp) {
    SessionVersion v = store(name, yaml, callerFp);
    onUpdate.accept(v);
    return v;
  }

  private synchronized SessionVersion store(String name, String yaml, String callerFp) {
    SessionVersion head = head(name, callerFp, true);
    SessionPolicy p = PolicyParser.parse(yaml);
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
    return persist(p, yaml, head.creator(), Optional.of(head));
  }

  /** The current version, if the caller may read it. */
  synchronized SessionVersion read(String name, String callerFp) {
    return head(name, callerFp, false);
  }

  /** All versions, oldest first, if the caller may read the session. */
  synchronized List<SessionVersion> history(String name, String callerFp) {
    head(name, callerFp, false);
    return List.copyOf(sessions.get(name));
  }

  /** The current version of a session, for attestation (no client access check). */
  synchronized Optional<SessionVersion> current(String name) {
    List<SessionVersion> h = sessions.get(name);
    return h == null ? Optional.empty() : Optional.of(h.getLast());
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

  private SessionVersion persist(
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
          String id = s.name() + "/" + vol.name();
          byte[] old = previous.map(v -> v.volumeKeys().get(id)).orElse(null);
          volumeKeys.put(id, old != null ? old : Rng.bytes(32));
        }
        if (s.console().equals("protected")) {
          String id = consoleKeyId(s.name());
          byte[] old = previous.map(v -> v.volumeKeys().get(id)).orElse(null);
          volumeKeys.put(id, old != null ? old : Rng.bytes(32));
        }
      }
      SessionVersion v =
          new SessionVersion(
              p, yaml, hash(yaml), creator, System.currentTimeMillis(), ca, secrets, volumeKeys);
      store.append(Json.write(SessionCodec.encode(v)).getBytes(StandardCharsets.UTF_8));
      sessions.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(v);
      return v;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("secret generation failed", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot persist session", e);
    }
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
