package io.sconej.cas;

import io.sconej.crypto.json.Json;
import io.sconej.crypto.json.JsonException;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The store record of a session version (JSON inside an encrypted store record): the policy text,
 * its hash, creator, time, the session CA and every generated secret and volume key. The policy is
 * re-parsed on replay, so a record always yields exactly the validated model.
 */
final class SessionCodec {
  private static final Base64.Encoder B64 = Base64.getEncoder();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  private SessionCodec() {}

  static Map<String, Object> encode(SessionVersion v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "session");
    m.put("name", v.policy().name());
    m.put("yaml", v.yaml());
    m.put("hash", v.hash());
    m.put("creator", v.creator());
    m.put("created_at", v.createdAtMillis());
    m.put("ca_key", B64.encodeToString(v.ca().keys().getPrivate().getEncoded()));
    m.put("ca_cert", B64.encodeToString(encoded(v.ca().cert())));
    Map<String, Object> secrets = new TreeMap<>();
    for (var e : v.secrets().entrySet()) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("value", e.getValue().value());
      e.getValue().privateKeyPem().ifPresent(k -> s.put("private_key", k));
      secrets.put(e.getKey(), s);
    }
    m.put("secrets", secrets);
    Map<String, Object> vk = new TreeMap<>();
    v.volumeKeys().forEach((k, key) -> vk.put(k, HexFormat.of().formatHex(key)));
    m.put("volume_keys", vk);
    return m;
  }

  static SessionVersion decode(Map<String, Object> m)
      throws JsonException, GeneralSecurityException {
    String yaml = Json.string(m, "yaml");
    SessionPolicy p = PolicyParser.parseStored(yaml);
    X509Certificate caCert =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(
                    new ByteArrayInputStream(B64D.decode(Json.string(m, "ca_cert"))));
    var caKey =
        KeyFactory.getInstance("EC")
            .generatePrivate(new PKCS8EncodedKeySpec(B64D.decode(Json.string(m, "ca_key"))));
    var ca = new SecretGenerator.SessionCa(new KeyPair(caCert.getPublicKey(), caKey), caCert);
    Map<String, GeneratedSecret> secrets = new LinkedHashMap<>();
    Map<String, Object> sm = Json.object(m, "secrets");
    for (var spec : p.secrets().values()) {
      Map<String, Object> s = Json.object(sm, spec.name());
      secrets.put(
          spec.name(),
          new GeneratedSecret(spec, Json.string(s, "value"), Json.optString(s, "private_key")));
    }
    Map<String, byte[]> vk = new LinkedHashMap<>();
    for (var e : Json.object(m, "volume_keys").entrySet()) {
      vk.put(e.getKey(), HexFormat.of().parseHex((String) e.getValue()));
    }
    return new SessionVersion(
        p,
        yaml,
        Json.string(m, "hash"),
        Json.string(m, "creator"),
        Json.integer(m, "created_at"),
        ca,
        secrets,
        vk);
  }

  private static byte[] encoded(X509Certificate c) {
    try {
      return c.getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException("cannot encode certificate", e);
    }
  }
}
