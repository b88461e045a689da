package io.sconej.cas;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.sconej.crypto.json.Json;
import io.sconej.crypto.json.JsonException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /v1/volume-tags}: an attested runtime (recognised by its attested TLS client key)
 * reports a pending tag or commits it, for a volume of its own service. Others get 403, and so does
 * a runtime whose attestation the session's current version no longer admits ({@link
 * Grants#authorise}). A pending report names the state it follows ({@code previous}, null for a
 * fresh volume): a compare-and-set that refuses (409) a writer whose predecessor is not the
 * volume's latest state ({@link VolumeTags#pending}).
 */
final class VolumeTagService implements HttpService {
  private static final Set<String> FIELDS = Set.of("volume", "phase", "tag", "previous");
  private final SessionRegistry sessions;
  private final VolumeTags tags;
  private final Grants grants;

  VolumeTagService(SessionRegistry sessions, VolumeTags tags, Grants grants) {
    this.sessions = sessions;
    this.tags = tags;
    this.grants = grants;
  }

  @Override
  public void routing(HttpRules r) {
    r.post("/v1/volume-tags", Exchange.exact((req, rest) -> report(req)))
        .any("/v1/volume-tags", Exchange.notAllowed());
  }

  private Response report(Request req) {
    Grants.Admitted a = grants.authorise(req.clientFingerprint(), sessions);
    Grants.Grant g = a.grant();
    Map<String, Object> body = req.json();
    String volume;
    String phase;
    String tag;
    Optional<String> previous;
    try {
      AttestationService.onlyFields(body, FIELDS, "");
      volume = Json.string(body, "volume");
      phase = Json.string(body, "phase");
      tag = hexTag(Json.string(body, "tag"), "tag");
      previous = Json.optString(body, "previous").map(p -> hexTag(p, "previous"));
    } catch (JsonException e) {
      throw CasException.badRequest(e.getMessage());
    }
    if (phase.equals("pending") != body.containsKey("previous")) {
      throw CasException.badRequest("field 'previous': required with phase pending (null for a"
          + " fresh volume), refused with phase commit");
    }
    boolean known = a.service().volumes().stream().anyMatch(v -> v.name().equals(volume));
    if (!known) {
      throw new CasException(404, "field 'volume': no such volume in this service");
    }
    String id = Grants.volumeId(g.session(), g.service(), volume);
    VolumeTags.State s =
        switch (phase) {
          case "pending" -> tags.pending(id, previous, tag);
          case "commit" -> tags.commit(id, tag);
          default -> throw CasException.badRequest("field 'phase': expected pending or commit");
        };
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("committed", s.committed().<Object>map(x -> x).orElse(Json.NULL));
    m.put("pending", s.pending().<Object>map(x -> x).orElse(Json.NULL));
    return Response.json(200, m);
  }

  private static String hexTag(String value, String field) {
    String t = value.toLowerCase(Locale.ROOT);
    if (!t.matches("([0-9a-f]{2}){16,64}")) {
      throw CasException.badRequest("field '" + field + "': expected 32 to 128 hex digits");
    }
    return t;
  }
}
