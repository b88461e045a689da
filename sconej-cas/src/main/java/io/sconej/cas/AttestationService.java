package io.sconej.cas;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.sconej.attestation.AttestationException;
import io.sconej.attestation.AttestationException.Reason;
import io.sconej.attestation.Evidence;
import io.sconej.attestation.ReportData;
import io.sconej.attestation.TeeMode;
import io.sconej.cas.client.ReleasedSecret;
import io.sconej.cas.client.ServiceConfig;
import io.sconej.cas.client.ServiceConfigCodec;
import io.sconej.cas.client.VolumeConfig;
import io.sconej.crypto.SecretBytes;
import io.sconej.crypto.json.Json;
import io.sconej.crypto.json.JsonException;
import io.sconej.verifier.EvidenceVerifier;
import io.sconej.verifier.VerifiedEvidence;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * {@code POST /v1/nonce} and {@code POST /v1/attest}: releases a service's configuration to a
 * runtime whose evidence verifies, binds this TLS client key and a fresh nonce, and satisfies the
 * session's constraints. Check order: client certificate, nonce (consumed whatever the outcome),
 * verifier for the mode, evidence, config id, service constraints. Refusals are 403 {@code
 * {"error": "attestation refused", "reason": CODE}} with nothing else; an unknown session or
 * service is refused in the same shape, and only after the evidence verified.
 */
final class AttestationService implements HttpService {
  private static final Logger LOG = Logger.getLogger(AttestationService.class.getName());
  private static final Set<String> ATTEST_FIELDS = Set.of("config_id", "nonce", "evidence");
  private static final Set<String> EVIDENCE_FIELDS = Set.of("mode", "bytes");

  private final SessionRegistry sessions;
  private final VolumeTags tags;
  private final NonceRegistry nonces;
  private final Map<TeeMode, EvidenceVerifier> verifiers;
  private final Grants grants;
  private final Clock clock;

  AttestationService(
      SessionRegistry sessions,
      VolumeTags tags,
      NonceRegistry nonces,
      Map<TeeMode, EvidenceVerifier> verifiers,
      Grants grants,
      Clock clock) {
    this.sessions = sessions;
    this.tags = tags;
    this.nonces = nonces;
    this.verifiers = verifiers;
    this.grants = grants;
    this.clock = clock;
  }

  @Override
  public void routing(HttpRules r) {
    r.post("/v1/nonce", Exchange.exact((req, rest) -> nonce()))
        .any("/v1/nonce", Exchange.notAllowed())
        .post("/v1/attest", Exchange.exact((req, rest) -> attest(req)))
        .any("/v1/attest", Exchange.notAllowed());
  }

  private Response nonce() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("nonce", HexFormat.of().formatHex(nonces.issue()));
    m.put("expires_in_ms", nonces.ttl().toMillis());
    return Response.json(200, m);
  }

  private Response attest(Request req) {
    Map<String, Object> body = req.json();
    String configId;
    byte[] nonce;
    Evidence evidence;
    try {
      onlyFields(body, ATTEST_FIELDS, "");
      configId = Json.string(body, "config_id");
      nonce = decode(() -> HexFormat.of().parseHex(Json.string(body, "nonce")), "nonce", "hex");
      Map<String, Object> ev = Json.object(body, "evidence");
      onlyFields(ev, EVIDENCE_FIELDS, "evidence.");
      TeeMode mode;
      try {
        mode = TeeMode.parse(Json.string(ev, "mode"));
      } catch (IllegalArgumentException e) {
        throw new JsonException("field 'evidence.mode': " + e.getMessage());
      }
      byte[] bytes =
          decode(
              () -> Base64.getDecoder().decode(Json.string(ev, "bytes")),
              "evidence.bytes",
              "base64");
      evidence = new Evidence(mode, bytes);
    } catch (JsonException e) {
      throw CasException.badRequest(e.getMessage());
    }
    try {
      return Response.json(200, ServiceConfigCodec.toJson(check(req, configId, nonce, evidence)));
    } catch (AttestationException e) {
      LOG.info("attestation refused: " + e.reason() + ": " + e.getMessage());
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("error", "attestation refused");
      m.put("reason", e.reason().name());
      return Response.json(403, m);
    }
  }

  private ServiceConfig check(Request req, String configId, byte[] nonce, Evidence evidence)
      throws AttestationException {
    if (req.clientCert().isEmpty()) {
      throw new AttestationException(Reason.CHANNEL_BINDING_MISMATCH, "no TLS client certificate");
    }
    if (!nonces.consume(nonce)) {
      throw new AttestationException(Reason.STALE_OR_REPLAYED_NONCE, "nonce unknown or used");
    }
    EvidenceVerifier v = verifiers.get(evidence.mode());
    if (v == null) {
      throw new AttestationException(
          Reason.UNSUPPORTED_MODE, "no verifier configured for mode " + evidence.mode().id());
    }
    VerifiedEvidence claims = v.verify(evidence, clock.instant());
    int slash = configId.lastIndexOf('/');
    Optional<SessionVersion> sv =
        slash <= 0 ? Optional.empty() : sessions.current(configId.substring(0, slash));
    SessionPolicy.Service service =
        sv.map(s -> s.policy().services().get(configId.substring(slash + 1))).orElse(null);
    if (service == null) {
      throw new AttestationException(Reason.UNKNOWN_CONFIG_ID, "unknown config id");
    }
    byte[] spki = req.clientCert().get().getPublicKey().getEncoded();
    byte[] reportData = ReportData.bind(spki, nonce);
    ServiceConstraint.check(service, claims, reportData);
    grants.grant(
        req.clientFingerprint(), sv.get().policy().name(), service.name(), claims, reportData);
    return release(sv.get(), service);
  }

  private ServiceConfig release(SessionVersion sv, SessionPolicy.Service s) {
    Map<String, GeneratedSecret> secrets = sv.secrets();
    List<String> command = new ArrayList<>();
    s.command().forEach(c -> command.add(Placeholders.expand(c, secrets)));
    Map<String, String> env = new LinkedHashMap<>();
    s.environment().forEach((k, v) -> env.put(k, Placeholders.expand(v, secrets)));
    Map<String, String> files = new LinkedHashMap<>();
    s.files().forEach((k, v) -> files.put(k, Placeholders.expand(v, secrets)));
    List<VolumeConfig> vols = new ArrayList<>();
    HexFormat hex = HexFormat.of();
    for (SessionPolicy.Volume vol : s.volumes()) {
      VolumeTags.State st = tags.state(Grants.volumeId(sv.policy().name(), s.name(), vol.name()));
      vols.add(
          new VolumeConfig(
              vol.name(),
              vol.path(),
              vol.kind(),
              SecretBytes.copyOf(sv.volumeKeys().get(s.name() + "/" + vol.name())),
              st.committed().map(hex::parseHex),
              st.pending().map(hex::parseHex),
              vol.onViolation()));
    }
    Map<String, ReleasedSecret> released = new LinkedHashMap<>();
    secrets.forEach(
        (k, g) ->
            released.put(k, new ReleasedSecret(g.spec().kind(), g.value(), g.privateKeyPem())));
    return new ServiceConfig(
        sv.policy().name(),
        s.name(),
        sv.hash(),
        command,
        env,
        s.hostEnvironment(),
        files,
        vols,
        released,
        s.ethreads(),
        s.hostCalls(),
        s.defaultRegion(),
        s.console(),
        Optional.ofNullable(sv.volumeKeys().get(SessionRegistry.consoleKeyId(s.name())))
            .map(SecretBytes::copyOf),
        s.process());
  }

  private interface Decoder {
    byte[] decode() throws JsonException;
  }

  private static byte[] decode(Decoder d, String field, String what) throws JsonException {
    try {
      return d.decode();
    } catch (IllegalArgumentException e) {
      throw new JsonException("field '" + field + "': expected " + what);
    }
  }

  static void onlyFields(Map<String, Object> m, Set<String> allowed, String prefix)
      throws JsonException {
    for (String k : m.keySet()) {
      if (!allowed.contains(k)) {
        throw new JsonException("unknown field '" + prefix + k + "'");
      }
    }
  }
}
