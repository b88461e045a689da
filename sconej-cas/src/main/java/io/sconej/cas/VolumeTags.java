package io.sconej.cas;

import io.sconej.crypto.json.Json;
import io.sconej.crypto.json.JsonException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The latest volume tags, two-phase so that a crash can never lock the owner out (docs/cas-api.md):
 * per volume {committed, pending}. {@code pending(previous, t)} records the tag the next durable
 * state will have, if {@code previous} (the state the writer's commit follows) is the volume's
 * latest state: the committed tag, or the pending one (which the writer thereby says is durable,
 * so it is promoted), or none for a fresh volume that has no tag at all. Any other predecessor is
 * a second writer (or a forked copy) whose history diverged: 409. {@code commit(t)} promotes the
 * pending tag once durable (t must equal it, or already be the committed one). At start a runtime
 * accepts either. Every change is persisted before it is acknowledged.
 */
final class VolumeTags {
  /**
   * A volume's tags (lower-case hex).
   *
   * @param committed the committed tag
   * @param pending the pending tag
   */
  record State(Optional<String> committed, Optional<String> pending) {}

  private final Map<String, State> states = new HashMap<>();
  private final CasStore store;

  VolumeTags(CasStore store) {
    this.store = store;
  }

  synchronized State state(String volumeId) {
    return states.getOrDefault(volumeId, new State(Optional.empty(), Optional.empty()));
  }

  synchronized State pending(String volumeId, Optional<String> previous, String tag) {
    State s = state(volumeId);
    if (previous.isPresent() && previous.equals(s.pending())) {
      return put(volumeId, new State(s.pending(), Optional.of(tag)));
    }
    boolean fresh = s.committed().isEmpty() && s.pending().isEmpty();
    if (previous.equals(s.committed()) && (previous.isPresent() || fresh)) {
      return put(volumeId, new State(s.committed(), Optional.of(tag)));
    }
    throw new CasException(
        409,
        "field 'previous': "
            + previous.map(p -> "tag " + abbrev(p)).orElse("a fresh volume")
            + " is not the volume's latest state ("
            + s.committed().map(c -> "committed " + abbrev(c)).orElse("no committed tag")
            + s.pending().map(p -> ", pending " + abbrev(p)).orElse("")
            + "): another writer committed first, or this copy of the volume was forked");
  }

  /**
   * An owner-approved reset (docs/owner-volume-ops.md): {@code tag} becomes the pending tag whatever
   * the predecessor, and the committed tag stays until the owner's tool confirms it with {@link
   * #commit}, so a crash in between leaves either state acceptable.
   */
  synchronized State resetPending(String volumeId, String tag) {
    State s = state(volumeId);
    return put(volumeId, new State(s.committed(), Optional.of(tag)));
  }

  private static String abbrev(String tag) {
    return tag.substring(0, 16) + "...";
  }

  synchronized State commit(String volumeId, String tag) {
    State s = state(volumeId);
    if (s.committed().equals(Optional.of(tag))) {
      // The runtime observed the committed state at start: a pending tag never became durable.
      return s.pending().isEmpty() ? s : put(volumeId, new State(s.committed(), Optional.empty()));
    }
    if (!s.pending().equals(Optional.of(tag))) {
      throw new CasException(
          409,
          "field 'tag': neither the committed nor the pending tag of the volume (never reported"
              + " as pending, or another writer's report replaced it)");
    }
    return put(volumeId, new State(Optional.of(tag), Optional.empty()));
  }

  synchronized void replay(Map<String, Object> record) throws JsonException {
    states.put(
        Json.string(record, "volume"),
        new State(Json.optString(record, "committed"), Json.optString(record, "pending")));
  }

  private State put(String volumeId, State s) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("type", "tag");
    r.put("volume", volumeId);
    r.put("committed", s.committed().<Object>map(x -> x).orElse(Json.NULL));
    r.put("pending", s.pending().<Object>map(x -> x).orElse(Json.NULL));
    try {
      store.append(Json.write(r).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot persist volume tag", e);
    }
    states.put(volumeId, s);
    return s;
  }
}
