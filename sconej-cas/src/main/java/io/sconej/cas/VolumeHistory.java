package io.sconej.cas;

import io.sconej.crypto.json.Json;
import io.sconej.crypto.json.JsonException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What owners did to a session's volumes, part of the session's history ({@code GET
 * /v1/session-history/NAME}, field {@code volume_events}): every key release to an owner tool,
 * every backup recorded and every tag change an owner made (each phase), with who (client
 * certificate fingerprint), when, the operation, and the old and new tags. Each event is persisted
 * in the store (record type {@code volume-event}) before the request is answered, so the history is
 * append-only like the session versions. Tag commits of attested runtimes are not events here (they
 * are {@code tag} records of the store).
 */
final class VolumeHistory {
  /** Fields of an event, in the order they are written. */
  static final List<String> FIELDS =
      List.of("at_ms", "by", "service", "volume", "event", "operation", "old", "new");

  private final ConcurrentHashMap<String, List<Map<String, Object>>> events =
      new ConcurrentHashMap<>();
  private CasStore store;

  /** Replays a stored event (at start, before {@link #setStore}). */
  void replay(Map<String, Object> record) throws JsonException {
    String session = Json.string(record, "session");
    Map<String, Object> e = new LinkedHashMap<>();
    for (String f : FIELDS) {
      Object v = record.get(f);
      if (v == null) {
        throw new JsonException("volume-event without field '" + f + "'");
      }
      e.put(f, v);
    }
    add(session, e);
  }

  void setStore(CasStore s) {
    store = s;
  }

  /**
   * Persists and records one event.
   *
   * @param event {@code key-release}, {@code backup}, {@code tag-pending}, {@code tag-commit} or
   *     {@code tag-reset-pending}
   * @param old the tag before (committed), or null
   * @param next the tag after, or null
   */
  synchronized void record(
      String session,
      String service,
      String volume,
      String by,
      String event,
      String operation,
      String old,
      String next) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("at_ms", System.currentTimeMillis());
    e.put("by", by);
    e.put("service", service);
    e.put("volume", volume);
    e.put("event", event);
    e.put("operation", operation);
    e.put("old", old == null ? Json.NULL : old);
    e.put("new", next == null ? Json.NULL : next);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("type", "volume-event");
    r.put("session", session);
    r.putAll(e);
    try {
      store.append(Json.write(r).getBytes(StandardCharsets.UTF_8));
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot persist a volume event", ex);
    }
    add(session, e);
  }

  /** The session's events, oldest first. */
  List<Map<String, Object>> of(String session) {
    return events.getOrDefault(session, List.of());
  }

  private void add(String session, Map<String, Object> e) {
    events.compute(
        session,
        (k, old) -> {
          List<Map<String, Object>> l = new ArrayList<>(old == null ? List.of() : old);
          l.add(Collections.unmodifiableMap(new LinkedHashMap<>(e)));
          return List.copyOf(l);
        });
  }
}
