package io.sconej.cas.client;

import io.sconej.attestation.AttestationException;
import io.sconej.attestation.ChannelIdentity;
import io.sconej.attestation.Evidence;
import io.sconej.attestation.ReportData;
import io.sconej.crypto.json.Json;
import io.sconej.crypto.json.JsonException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The runtime's side of attestation to a CAS (docs/cas-api.md).
 *
 * <p>Each client owns a fresh ephemeral Ed25519 key whose self-signed certificate authenticates
 * its TLS connections to the CAS (TLS 1.3 only, trust pinned to the CAS CA). {@link #attest}
 * fetches a single-use nonce, asks the {@link EvidenceProvider} for evidence whose report data is
 * {@code ReportData.bind(spki of that key, nonce)}, and receives the service's configuration over
 * the same channel. Volume tags are then reported with the same key ({@link #reportPendingTag},
 * {@link #commitTag}), which the CAS recognises as the attested service.
 *
 * <p>Refusals: an attestation the CAS refuses throws {@link AttestationException} with the CAS's
 * reason code; an unreachable CAS or failed handshake throws {@link CasUnreachableException}; any
 * other error status throws {@link CasResponseException}. Not thread-safe.
 */
public final class CasClient implements AutoCloseable {
  private static final String JSON = "application/json";
  private static final HexFormat HEX = HexFormat.of();

  private final KeyPair keys;
  private final CasConnection connection;

  private CasClient(KeyPair keys, CasConnection connection) {
    this.keys = keys;
    this.connection = connection;
  }

  /** A client for the CAS at {@code host:port} whose CA certificate is {@code casCa}. */
  public static CasClient create(String host, int port, X509Certificate casCa)
      throws GeneralSecurityException {
    return create(host, port, casCa, newIdentity());
  }

  /**
   * A fresh channel identity (ephemeral Ed25519 key and its self-signed certificate), to be used
   * by exactly one client. Separate from {@link #create} so that a caller can make it while it
   * does other work. Ed25519 because the enclave's start-up then needs no P-256 arithmetic, whose
   * first use builds a generator table (~80 ms of CPU in a cold JVM; docs/benchmarks.md).
   */
  public static CasConnection.ClientIdentity newIdentity() throws GeneralSecurityException {
    ChannelIdentity id = ChannelIdentity.generate("sconej-runtime", Duration.ofDays(1));
    return new CasConnection.ClientIdentity(id.keys(), id.certificate());
  }

  /** A client with an identity from {@link #newIdentity()} (never shared between clients). */
  public static CasClient create(String host, int port, X509Certificate casCa,
      CasConnection.ClientIdentity identity) throws GeneralSecurityException {
    return new CasClient(identity.keys(),
        CasConnection.create(host, port, casCa, Optional.of(identity)));
  }

  /** The DER SubjectPublicKeyInfo of this client's channel key (what report data binds). */
  public byte[] channelKeySpki() {
    return keys.getPublic().getEncoded();
  }

  /**
   * Attests as service {@code configId} ("SESSION/SERVICE") and returns its configuration.
   *
   * @throws AttestationException if the CAS refuses, with its reason
   */
  public ServiceConfig attest(String configId, EvidenceProvider provider)
      throws IOException, GeneralSecurityException {
    CasConnection.Response nr = connection.request("POST", "/v1/nonce", JSON, "{}".getBytes());
    Map<String, Object> n = expectOk(nr);
    byte[] nonce = hex(Json.string(n, "nonce"));
    Evidence ev = provider.evidence(ReportData.bind(channelKeySpki(), nonce));
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("config_id", configId);
    req.put("nonce", HEX.formatHex(nonce));
    Map<String, Object> evm = new LinkedHashMap<>();
    evm.put("mode", ev.mode().id());
    evm.put("bytes", Base64.getEncoder().encodeToString(ev.bytes()));
    req.put("evidence", evm);
    CasConnection.Response r =
        connection.request(
            "POST", "/v1/attest", JSON, Json.write(req).getBytes(StandardCharsets.UTF_8));
    if (r.status() == 403) {
      String code = Json.optString(r.json(), "reason").orElse("REFUSED");
      AttestationException.Reason reason;
      try {
        reason = AttestationException.Reason.valueOf(code);
      } catch (IllegalArgumentException e) {
        reason = AttestationException.Reason.REFUSED;
      }
      throw new AttestationException(reason, "the CAS refused attestation: " + reason);
    }
    return ServiceConfigCodec.fromJson(expectOk(r));
  }

  /**
   * Reports the tag a volume will have after the write about to be made durable (phase 1), and
   * the tag of the state that write follows ({@code previous}; empty for a fresh volume's first
   * state). Must precede making that state durable. The CAS refuses (409, {@link
   * CasResponseException}) a predecessor that is not the volume's latest state: another writer
   * committed first, or this copy was forked. See docs/cas-api.md for the protocol.
   */
  public void reportPendingTag(String volume, Optional<byte[]> previous, byte[] tag)
      throws IOException {
    Map<String, Object> req = request(volume, "pending", tag);
    req.put("previous", previous.<Object>map(HEX::formatHex).orElse(Json.NULL));
    expectOk(post(req));
  }

  /** Confirms that a previously reported pending tag is now durable (phase 2). */
  public void commitTag(String volume, byte[] tag) throws IOException {
    expectOk(post(request(volume, "commit", tag)));
  }

  private static Map<String, Object> request(String volume, String phase, byte[] tag) {
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("volume", volume);
    req.put("phase", phase);
    req.put("tag", HEX.formatHex(tag));
    return req;
  }

  private CasConnection.Response post(Map<String, Object> req) throws IOException {
    return connection.request(
        "POST", "/v1/volume-tags", JSON, Json.write(req).getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, Object> expectOk(CasConnection.Response r) throws IOException {
    if (r.status() != 200) {
      String msg;
      try {
        msg = Json.optString(r.json(), "error").orElse("");
      } catch (JsonException e) {
        msg = "(no error message)";
      }
      throw new CasResponseException(r.status(), "CAS answered " + r.status() + ": " + msg);
    }
    return r.json();
  }

  private static byte[] hex(String s) throws JsonException {
    try {
      return HEX.parseHex(s);
    } catch (IllegalArgumentException e) {
      throw new JsonException("field 'nonce': expected hex");
    }
  }

  /** Closes the connection. */
  @Override
  public void close() {
    connection.close();
  }
}
