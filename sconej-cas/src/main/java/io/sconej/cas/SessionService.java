package io.sconej.cas;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.sconej.cas.client.Pem;
import io.sconej.crypto.json.Json;
import java.security.cert.CertificateEncodingException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The session resource (owners, authenticated by TLS client certificate):
 *
 * <ul>
 *   <li>{@code POST /v1/sessions} (application/yaml): create; 201 {name, version, hash}
 *   <li>{@code GET /v1/sessions/NAME}: the current version, policy text and secret metadata
 *   <li>{@code PUT /v1/sessions/NAME} (application/yaml): update naming the predecessor hash
 *   <li>{@code GET /v1/session-history/NAME}: every version, oldest first, and what owners did
 *       to its volumes ({@link VolumeHistory})
 *   <li>{@code GET /v1/console-keys/NAME/SERVICE}: 200 {@code {"key": HEX}}, the console key the
 *       CAS releases to that service (404 if the service does not exist or its console is
 *       unprotected)
 * </ul>
 *
 * Secret values are never returned here, only names and kinds; the console key is the one
 * exception, for those who may read the session. Callers not allowed by the access policy get the
 * same 404 as for a session that does not exist.
 */
final class SessionService implements HttpService {
  static final String YAML = "application/yaml";
  private final SessionRegistry registry;
  private final VolumeHistory volumeHistory;

  SessionService(SessionRegistry registry, VolumeHistory volumeHistory) {
    this.registry = registry;
    this.volumeHistory = volumeHistory;
  }

  @Override
  public void routing(HttpRules r) {
    r.post(
        "/v1/sessions",
        Exchange.exact(
            (req, rest) -> created(registry.create(req.text(YAML), req.clientFingerprint()))));
    r.any("/v1/sessions", Exchange.notAllowed());
    r.get(
        "/v1/sessions/*",
        Exchange.under(
            "/v1/sessions/",
            (req, rest) ->
                Response.json(200, describe(registry.read(name(rest), req.clientFingerprint())))));
    r.put(
        "/v1/sessions/*",
        Exchange.under(
            "/v1/sessions/",
            (req, rest) -> {
              String fp = req.clientFingerprint();
              String n = name(rest);
              registry.read(n, fp); // refuse strangers before looking at the body
              return summary(200, registry.update(n, req.text(YAML), fp));
            }));
    r.any("/v1/sessions/*", Exchange.under("/v1/sessions/", (req, rest) -> notAllowed(req)));
    r.get(
        "/v1/session-history/*",
        Exchange.under(
            "/v1/session-history/",
            (req, rest) -> {
              List<Object> versions = new ArrayList<>();
              for (SessionVersion v : registry.history(name(rest), req.clientFingerprint())) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("version", v.policy().version());
                m.put("hash", v.hash());
                m.put(
                    "predecessor", v.policy().predecessor().<Object>map(x -> x).orElse(Json.NULL));
                m.put("created_at_ms", v.createdAtMillis());
                versions.add(m);
              }
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("name", name(rest));
              m.put("versions", versions);
              m.put("volume_events", volumeHistory.of(name(rest)));
              return Response.json(200, m);
            }));
    r.any(
        "/v1/session-history/*",
        Exchange.under("/v1/session-history/", (req, rest) -> notAllowed(req)));
    r.get(
        "/v1/console-keys/*",
        Exchange.under(
            "/v1/console-keys/", (req, rest) -> consoleKey(rest, req.clientFingerprint())));
    r.any(
        "/v1/console-keys/*", Exchange.under("/v1/console-keys/", (req, rest) -> notAllowed(req)));
  }

  private static Response notAllowed(Request r) {
    return Response.error(405, "method " + r.method() + " not allowed on " + r.path());
  }

  private Response consoleKey(String rest, String callerFp) {
    int slash = rest.lastIndexOf('/');
    if (slash <= 0) {
      throw CasException.noSuchSession();
    }
    SessionVersion v = registry.read(name(rest.substring(0, slash)), callerFp);
    byte[] key = v.volumeKeys().get(SessionRegistry.consoleKeyId(rest.substring(slash + 1)));
    if (key == null || !v.policy().services().containsKey(rest.substring(slash + 1))) {
      throw new CasException(404, "no such service, or its console is unprotected");
    }
    return Response.json(200, Map.of("key", HexFormat.of().formatHex(key)));
  }

  private static String name(String rest) {
    if (!PolicyParser.SESSION_NAME.matcher(rest).matches()) {
      throw CasException.noSuchSession();
    }
    return rest;
  }

  private static Response created(SessionVersion v) {
    return summary(201, v);
  }

  private static Response summary(int status, SessionVersion v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", v.policy().name());
    m.put("version", v.policy().version());
    m.put("hash", v.hash());
    return Response.json(status, m);
  }

  private static Map<String, Object> describe(SessionVersion v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", v.policy().name());
    m.put("version", v.policy().version());
    m.put("hash", v.hash());
    m.put("predecessor", v.policy().predecessor().<Object>map(x -> x).orElse(Json.NULL));
    m.put("creator", v.creator());
    m.put("created_at_ms", v.createdAtMillis());
    m.put("policy", v.yaml());
    List<Object> secrets = new ArrayList<>();
    for (GeneratedSecret g : v.secrets().values()) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("name", g.spec().name());
      s.put("kind", g.spec().kind());
      secrets.add(s);
    }
    m.put("secrets", secrets);
    try {
      m.put("session_ca", Pem.encode("CERTIFICATE", v.ca().cert().getEncoded()));
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("cannot encode the session CA", e);
    }
    return m;
  }
}
