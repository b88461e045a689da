package io.sconej.cas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.attestation.x509.SelfSignedCertificates;
import io.sconej.cas.client.CasConnection;
import io.sconej.cas.client.CasUnreachableException;
import io.sconej.crypto.Rng;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks on the client's trust in the CAS: a client pinned to one CAS's CA certificate talks only
 * to a server presenting exactly that certificate, over real TLS 1.3 on loopback. Impostors:
 * another CAS, a certificate with the same name but another key, one issued by another CA, and
 * certificates the pinned key itself issued (valid or expired).
 */
class CasPinningTest {
  @TempDir Path dir;

  @Test
  void aClientPinnedToOneCasRefusesAnotherCas() throws Exception {
    try (CasFixture genuine = new CasFixture(dir.resolve("genuine"));
        CasFixture impostor = new CasFixture(dir.resolve("impostor"))) {
      // Same name, same software, another key.
      assertEquals(genuine.server.caCertificate().getSubjectX500Principal(),
          impostor.server.caCertificate().getSubjectX500Principal());
      try (CasConnection c = CasConnection.create("127.0.0.1", impostor.server.port(),
          genuine.server.caCertificate(), Optional.empty())) {
        CasUnreachableException e = assertThrows(CasUnreachableException.class,
            () -> c.request("GET", "/v1/health", "", new byte[0]));
        assertTrue(e.getMessage().contains("cannot reach the CAS"), e.getMessage());
      }
      try (CasConnection c = genuine.connect(Optional.empty())) {
        // The pinned CAS itself answers (any HTTP status: the channel was trusted).
        c.request("GET", "/v1/health", "", new byte[0]);
      }
    }
  }

  @Test
  void onlyThePinnedCertificateItselfIsTrusted() throws Exception {
    Instant now = Instant.now();
    KeyPair caKeys = SelfSignedCertificates.generateEd25519KeyPair();
    X509Certificate ca = X509Issuer.selfSignedCa(caKeys, "sconej CAS", List.of(),
        Duration.ofDays(1));
    // The pinned certificate itself: trusted.
    assertEquals("answered", exchange(ca, caKeys, ca));
    // Issued by the pinned key (whatever it might sign must not stand in for the CAS).
    KeyPair leafKeys = SelfSignedCertificates.generateEd25519KeyPair();
    X509Certificate issued = X509Issuer.issue(caKeys, ca, leafKeys, "cas-node", List.of(),
        Duration.ofDays(1));
    assertEquals("refused", exchange(ca, leafKeys, issued, ca));
    // A self-signed certificate with the pinned certificate's name and another key.
    KeyPair otherKeys = SelfSignedCertificates.generateEd25519KeyPair();
    X509Certificate sameName = X509Issuer.selfSignedCa(otherKeys, "sconej CAS", List.of(),
        Duration.ofDays(1));
    assertEquals("refused", exchange(ca, otherKeys, sameName));
    // Issued by another CA under the pinned CA's name.
    X509Certificate foreign = X509Issuer.issue(otherKeys, sameName, leafKeys, "cas-node",
        List.of(), Duration.ofDays(1));
    assertEquals("refused", exchange(ca, leafKeys, foreign, sameName));
    // Issued by the pinned key, but its validity ended 30 seconds ago.
    X509Certificate expired = X509Issuer.issue(caKeys, ca, leafKeys, "cas-node", List.of(),
        Duration.ofSeconds(-30));
    assertTrue(expired.getNotAfter().toInstant().isBefore(now));
    assertEquals("refused", exchange(ca, leafKeys, expired, ca));
  }

  /**
   * Serves one TLS connection presenting {@code chain} with {@code keys}, and reports whether a
   * client pinned to {@code pinned} got an answer from it or refused it.
   */
  private static String exchange(X509Certificate pinned, KeyPair keys, X509Certificate... chain)
      throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLSv1.3");
    ctx.init(new KeyManager[] {new ChainKeyManager(keys, chain)}, null, Rng.secure());
    try (SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory()
        .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread t = Thread.ofVirtual().start(() -> {
        try (SSLSocket s = (SSLSocket) server.accept()) {
          InputStream in = s.getInputStream();
          byte[] head = new byte[4096];
          int n = 0;
          while (n < 4
              || !new String(head, n - 4, 4, StandardCharsets.US_ASCII).equals("\r\n\r\n")) {
            int r = in.read(head, n, 1);
            if (r < 0) {
              return;
            }
            n += r;
          }
          OutputStream out = s.getOutputStream();
          out.write("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
          out.flush();
        } catch (IOException refusedByTheClient) {
          // the client aborted the handshake
        }
      });
      try (CasConnection c = CasConnection.create("127.0.0.1", server.getLocalPort(), pinned,
          Optional.empty())) {
        c.request("GET", "/", "", new byte[0]);
        return "answered";
      } catch (CasUnreachableException e) {
        return "refused";
      } finally {
        server.close();
        t.join();
      }
    }
  }

  /** Presents one chain with one key, as a server. */
  private static final class ChainKeyManager extends X509ExtendedKeyManager {
    private final KeyPair keys;
    private final X509Certificate[] chain;

    ChainKeyManager(KeyPair keys, X509Certificate[] chain) {
      this.keys = keys;
      this.chain = chain;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[0];
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return new String[] {"s"};
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return "s";
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return "s";
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return chain;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return keys.getPrivate();
    }
  }
}
