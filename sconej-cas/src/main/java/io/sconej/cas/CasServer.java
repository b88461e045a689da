package io.sconej.cas;

import io.helidon.webserver.http.HttpService;
import io.sconej.cas.client.Pem;
import io.sconej.crypto.json.Json;
import io.sconej.crypto.json.JsonException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * The configuration and attestation service (docs/cas-api.md).
 *
 * <p>Lifecycle: {@link #start(CasConfig)} opens and verifies the store (a tampered store refuses to
 * start with {@link StoreIntegrityException}, nothing is listening then), loads or generates the
 * CAS's TLS identity (an Ed25519 key, EC P-256 in data directories made by earlier versions, and a
 * self-signed CA certificate, written as {@code cas-ca.pem} to the data directory for clients), and
 * listens for HTTPS (TLS 1.3 only) on Helidon's webserver ({@link CasListener}). {@link #close()}
 * stops listening, then closes the store; requests in flight may fail.
 */
public final class CasServer implements AutoCloseable {
  /** File name of the CAS CA certificate in the data directory. */
  public static final String CA_FILE = "cas-ca.pem";

  private final CasStore store;
  private final CasListener listener;
  private final X509Certificate caCert;

  private CasServer(CasStore store, CasListener listener, X509Certificate caCert) {
    this.store = store;
    this.listener = listener;
    this.caCert = caCert;
  }

  /**
   * Starts a CAS.
   *
   * @throws StoreIntegrityException if the store on disk was tampered with
   * @throws IOException if the data directory or the port cannot be used
   */
  public static CasServer start(CasConfig config) throws IOException {
    Clock clock = config.clock();
    Holder h = new Holder();
    CasStore store;
    try {
      store = CasStore.open(config.dataDir(), h::replay);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    try {
      if (h.identity == null) {
        h.identity = newIdentity(store, config);
      }
      h.tags.setStore(store);
      SessionRegistry registry = h.sessionsFor(store, SessionRegistry.Quotas.of(config));
      VolumeTags tags = h.tags.build();
      Grants grants = new Grants(clock, config.grantTtl());
      registry.onUpdate(grants::revalidate);
      List<HttpService> services = new ArrayList<>();
      h.volumeHistory.setStore(store);
      services.add(new SessionService(registry, h.volumeHistory));
      services.add(
          new AttestationService(
              registry,
              tags,
              new NonceRegistry(clock, config.nonceTtl(), config.maxOutstandingNonces()),
              config.verifiers(),
              grants,
              clock));
      services.add(new VolumeTagService(registry, tags, grants));
      services.add(new VolumeOwnerService(registry, tags, h.volumeHistory));
      CasStore.writeAtomically(
          config.dataDir().resolve(CA_FILE),
          Pem.encode("CERTIFICATE", h.identity.cert.getEncoded())
              .getBytes(StandardCharsets.US_ASCII),
          "rw-r--r--");
      CasListener l = CasListener.start(sslContext(h.identity), config, services);
      return new CasServer(store, l, h.identity.cert);
    } catch (GeneralSecurityException e) {
      store.close();
      throw new IOException("cannot set up the CAS's TLS identity: " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** The listening port. */
  public int port() {
    return listener.port();
  }

  /** Connections refused, shed and expired by the connection guard, in that order (tests). */
  long[] guardCounts() {
    ConnectionGuard g = listener.guard();
    return new long[] {g.refusedCount(), g.shedCount(), g.expiredCount()};
  }

  /** The CAS's CA certificate, which clients pin. */
  public X509Certificate caCertificate() {
    return caCert;
  }

  @Override
  public void close() throws IOException {
    try {
      listener.close();
    } finally {
      store.close();
    }
  }

  private record Identity(KeyPair keys, X509Certificate cert) {}

  /** Collects replayed records until the services exist. */
  private static final class Holder {
    Identity identity;
    final java.util.List<SessionVersion> versions = new java.util.ArrayList<>();
    final TagsHolder tags = new TagsHolder();
    final VolumeHistory volumeHistory = new VolumeHistory();

    void replay(byte[] plain) {
      try {
        Map<String, Object> r = Json.parseObject(new String(plain, StandardCharsets.UTF_8));
        switch (Json.string(r, "type")) {
          case "identity" -> identity = decodeIdentity(r);
          case "session" -> versions.add(SessionCodec.decode(r));
          case "tag" -> tags.records.add(r);
          case "volume-event" -> volumeHistory.replay(r);
          default -> throw new JsonException("unknown record type");
        }
      } catch (JsonException | GeneralSecurityException | CasException e) {
        throw new UncheckedIOException(
            new StoreIntegrityException(
                "an authenticated store record is unreadable (" + e.getMessage() + ")"));
      }
    }

    SessionRegistry sessionsFor(CasStore store, SessionRegistry.Quotas quotas) {
      SessionRegistry r = new SessionRegistry(store, quotas);
      versions.forEach(r::replay);
      return r;
    }
  }

  private static final class TagsHolder {
    final java.util.List<Map<String, Object>> records = new java.util.ArrayList<>();
    private CasStore store;

    void setStore(CasStore s) {
      store = s;
    }

    VolumeTags build() throws IOException {
      VolumeTags t = new VolumeTags(store);
      for (var r : records) {
        t.replay(r);
      }
      return t;
    }
  }

  private static Identity newIdentity(CasStore store, CasConfig config)
      throws GeneralSecurityException, IOException {
    // Ed25519, like the enclaves' channel keys and sim platform keys: an enclave then verifies the
    // CAS's handshake signature without P-256 arithmetic, whose first use in a JVM builds a
    // generator table (~80 ms of CPU; docs/benchmarks.md).
    KeyPair k = io.sconej.attestation.x509.SelfSignedCertificates.generateEd25519KeyPair();
    X509Certificate c =
        X509Issuer.selfSignedCa(k, "sconej CAS", config.altNames(), Duration.ofDays(3650));
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("type", "identity");
    r.put("key", Base64.getEncoder().encodeToString(k.getPrivate().getEncoded()));
    r.put("cert", Base64.getEncoder().encodeToString(c.getEncoded()));
    store.append(Json.write(r).getBytes(StandardCharsets.UTF_8));
    return new Identity(k, c);
  }

  private static Identity decodeIdentity(Map<String, Object> r)
      throws JsonException, GeneralSecurityException {
    X509Certificate c =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(
                    new ByteArrayInputStream(Base64.getDecoder().decode(Json.string(r, "cert"))));
    PrivateKey k =
        KeyFactory.getInstance(c.getPublicKey().getAlgorithm())
            .generatePrivate(
                new PKCS8EncodedKeySpec(Base64.getDecoder().decode(Json.string(r, "key"))));
    return new Identity(new KeyPair(c.getPublicKey(), k), c);
  }

  private static SSLContext sslContext(Identity id) throws GeneralSecurityException {
    SSLContext ctx = SSLContext.getInstance("TLSv1.3");
    ctx.init(
        new KeyManager[] {new CasKeyManager(id.keys.getPrivate(), id.cert)},
        new TrustManager[] {new AnyClientCertTrustManager()},
        io.sconej.crypto.Rng.secure());
    return ctx;
  }
}
