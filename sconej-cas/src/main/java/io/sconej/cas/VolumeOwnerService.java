package io.sconej.cas;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.sconej.crypto.json.Json;
import io.sconej.crypto.json.JsonException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Owners operate a session's volumes without the application (docs/cas-api.md, "Volumes
 * (owners)"): {@code POST /v1/volumes/SESSION/SERVICE/VOLUME/ACTION}, authenticated by the owner's
 * TLS client certificate and authorised by the session's creator and {@code access_policy}.
 *
 * <ul>
 *   <li>{@code key} {@code {"operation": OP}}: releases the volume key and the tags to the
 *       owner's tool over this channel, for one of {@link #READ_OPERATIONS} (read access) or
 *       {@link #WRITE_OPERATIONS} (update access); each release is a history event.
 *   <li>{@code tag} {@code {"phase": "pending"|"commit", "tag": T, "operation": OP, "previous": P}}
 *       or, for an owner-approved reset, {@code {"phase": "pending", "tag": T, "operation":
 *       "restore", "approve_reset": T}}: the two-phase tag protocol for the owner's own commits
 *       (update access). Without the approval, P must be the committed or the pending tag (the
 *       state the tool opened), else 409: nobody rolls a volume back by accident.
 *   <li>{@code backup} {@code {"tag": T}}: records that a copy of the state T was taken (read
 *       access); T must be the committed or the pending tag.
 * </ul>
 *
 * Strangers get the 404 of a session that does not exist; an identity that may read but not
 * update gets 403 for an operation that changes the volume. Every event is persisted before the
 * answer ({@link VolumeHistory}).
 */
final class VolumeOwnerService implements HttpService {
  /** Operations that need only read access. */
  static final Set<String> READ_OPERATIONS = Set.of("list", "cat", "verify", "backup", "export");

  /** Operations that change the volume: update access. */
  static final Set<String> WRITE_OPERATIONS = Set.of("rm", "import", "restore");

  private static final String PREFIX = "/v1/volumes/";
  private static final String TAG_PATTERN = "([0-9a-f]{2}){16,64}";
  private final SessionRegistry sessions;
  private final VolumeTags tags;
  private final VolumeHistory history;

  VolumeOwnerService(SessionRegistry sessions, VolumeTags tags, VolumeHistory history) {
    this.sessions = sessions;
    this.tags = tags;
    this.history = history;
  }

  @Override
  public void routing(HttpRules r) {
    r.post("/v1/volumes/*", Exchange.under(PREFIX, (req, rest) -> handle(req, rest)));
    r.any(
        "/v1/volumes/*",
        Exchange.under(
            PREFIX,
            (req, rest) ->
                Response.error(405, "method " + req.method() + " not allowed on " + req.path())));
  }

  /** The volume a request names. */
  private record Target(String session, String service, String volume, String action) {
    String id() {
      return Grants.volumeId(session, service, volume);
    }
  }

  private Response handle(Request req, String rest) {
    Target t = target(rest);
    String fp = req.clientFingerprint();
    SessionVersion v = sessions.read(t.session(), fp); // strangers: 404 before the body is read
    SessionPolicy.Service s = v.policy().services().get(t.service());
    Optional<SessionPolicy.Volume> vol =
        s == null
            ? Optional.empty()
            : s.volumes().stream().filter(x -> x.name().equals(t.volume())).findFirst();
    if (vol.isEmpty()) {
      throw new CasException(
          404, "no volume '" + t.volume() + "' in service '" + t.service() + "' of this session");
    }
    Map<String, Object> body = req.json();
    try {
      return switch (t.action()) {
        case "key" -> key(t, v, vol.get(), fp, body);
        case "tag" -> tag(t, v, fp, body);
        case "backup" -> backup(t, fp, body);
        default -> throw new CasException(404, "no such volume action (key, tag, backup)");
      };
    } catch (JsonException e) {
      throw CasException.badRequest(e.getMessage());
    }
  }

  private static Target target(String rest) {
    int a = rest.lastIndexOf('/');
    int b = a <= 0 ? -1 : rest.lastIndexOf('/', a - 1);
    int c = b <= 0 ? -1 : rest.lastIndexOf('/', b - 1);
    if (c <= 0) {
      throw new CasException(404, "expected /v1/volumes/SESSION/SERVICE/VOLUME/ACTION");
    }
    String session = rest.substring(0, c);
    if (!PolicyParser.SESSION_NAME.matcher(session).matches()) {
      throw CasException.noSuchSession();
    }
    return new Target(
        session, rest.substring(c + 1, b), rest.substring(b + 1, a), rest.substring(a + 1));
  }

  private static void requireUpdate(SessionVersion v, String fp, String operation) {
    if (!v.creator().equals(fp) && !v.policy().updaters().contains(fp)) {
      throw new CasException(
          403,
          "operation '"
              + operation
              + "' changes the volume, and this identity may only read the session (it is not"
              + " its creator nor in access_policy.update)");
    }
  }

  private Response key(
      Target t, SessionVersion v, SessionPolicy.Volume vol, String fp, Map<String, Object> body)
      throws JsonException {
    AttestationService.onlyFields(body, Set.of("operation"), "");
    String op = Json.string(body, "operation");
    if (WRITE_OPERATIONS.contains(op)) {
      requireUpdate(v, fp, op);
    } else if (!READ_OPERATIONS.contains(op)) {
      throw CasException.badRequest(
          "field 'operation': expected one of list, cat, verify, backup, export, rm, import,"
              + " restore");
    }
    byte[] key = v.volumeKeys().get(t.service() + "/" + t.volume());
    if (key == null) {
      throw new IllegalStateException("session version without the key of a volume it names");
    }
    VolumeTags.State st = tags.state(t.id());
    history.record(
        t.session(),
        t.service(),
        t.volume(),
        fp,
        "key-release",
        op,
        st.committed().orElse(null),
        null);
    Map<String, Object> m = state(st);
    m.put("kind", vol.kind());
    m.put("key", HexFormat.of().formatHex(key));
    return Response.json(200, m);
  }

  private Response tag(Target t, SessionVersion v, String fp, Map<String, Object> body)
      throws JsonException {
    AttestationService.onlyFields(
        body, Set.of("phase", "tag", "operation", "previous", "approve_reset"), "");
    String op = Json.string(body, "operation");
    if (!WRITE_OPERATIONS.contains(op)) {
      throw CasException.badRequest("field 'operation': expected rm, import or restore");
    }
    requireUpdate(v, fp, op);
    String tag = hexTag(Json.string(body, "tag"), "tag");
    String phase = Json.string(body, "phase");
    Optional<String> approve = Json.optString(body, "approve_reset");
    Optional<String> previous = Json.optString(body, "previous");
    synchronized (tags) { // check and change at once (VolumeTags locks on itself)
      VolumeTags.State st = tags.state(t.id());
      String old = st.committed().orElse(null);
      VolumeTags.State now;
      String event;
      switch (phase) {
        case "pending" -> {
          if (approve.isPresent()) {
            if (!op.equals("restore") || !hexTag(approve.get(), "approve_reset").equals(tag)) {
              throw CasException.badRequest(
                  "field 'approve_reset': an approved reset is operation restore and repeats"
                      + " the field 'tag'");
            }
            event = "tag-reset-pending";
            now = tags.resetPending(t.id(), tag);
          } else {
            Optional<String> p = previous.map(x -> hexTag(x, "previous"));
            if (!p.equals(st.committed()) && !(p.isPresent() && p.equals(st.pending()))) {
              throw new CasException(
                  409,
                  "field 'previous': the volume is no longer in the state the tool opened"
                      + " (another writer committed); reopen it");
            }
            event = "tag-pending";
            now = tags.pending(t.id(), p, tag);
          }
        }
        case "commit" -> {
          if (approve.isPresent()) {
            throw CasException.badRequest("field 'approve_reset': only with phase pending");
          }
          now = tags.commit(t.id(), tag);
          event = "tag-commit";
        }
        default -> throw CasException.badRequest("field 'phase': expected pending or commit");
      }
      history.record(t.session(), t.service(), t.volume(), fp, event, op, old, tag);
      return Response.json(200, state(now));
    }
  }

  private Response backup(Target t, String fp, Map<String, Object> body) throws JsonException {
    AttestationService.onlyFields(body, Set.of("tag"), "");
    String tag = hexTag(Json.string(body, "tag"), "tag");
    VolumeTags.State st = tags.state(t.id());
    if (!st.committed().equals(Optional.of(tag)) && !st.pending().equals(Optional.of(tag))) {
      throw new CasException(
          409, "field 'tag': neither the committed nor the pending tag of the volume");
    }
    history.record(
        t.session(),
        t.service(),
        t.volume(),
        fp,
        "backup",
        "backup",
        st.committed().orElse(null),
        tag);
    return Response.json(200, state(st));
  }

  private static String hexTag(String s, String field) {
    String t = s.toLowerCase(Locale.ROOT);
    if (!t.matches(TAG_PATTERN)) {
      throw CasException.badRequest("field '" + field + "': expected 32 to 128 hex digits");
    }
    return t;
  }

  private static Map<String, Object> state(VolumeTags.State s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("committed", s.committed().<Object>map(x -> x).orElse(Json.NULL));
    m.put("pending", s.pending().<Object>map(x -> x).orElse(Json.NULL));
    return m;
  }
}
