package io.sconej.attestation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.sconej.crypto.Rng;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

class ChannelIdentityTest {
  /** Trusts exactly one certificate (what a CAS does with the client cert before attesting). */
  private static TrustManager[] trustOnly(X509Certificate expected) {
    return new TrustManager[] {
      new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
          check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
          check(chain);
        }

        private void check(X509Certificate[] chain) {
          if (chain.length < 1 || !chain[0].equals(expected)) {
            throw new IllegalStateException("unexpected peer certificate");
          }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }
    };
  }

  @Test
  void certificateIsSelfSignedEd25519WithTheExpectedFields() throws Exception {
    ChannelIdentity id = ChannelIdentity.generate("sconej runtime", Duration.ofHours(1));
    X509Certificate c = id.certificate();
    c.verify(c.getPublicKey());
    c.checkValidity();
    assertEquals("CN=sconej runtime", c.getSubjectX500Principal().getName());
    assertEquals(c.getSubjectX500Principal(), c.getIssuerX500Principal());
    assertEquals(3, c.getVersion());
    assertEquals("Ed25519", c.getSigAlgName());
    assertEquals("1.3.101.112", c.getSigAlgOID());
    assertEquals(-1, c.getBasicConstraints());
    assertEquals(true, c.getKeyUsage()[0]);
    assertArrayEquals(id.spki(), c.getPublicKey().getEncoded());
    assertFalse(c.getCriticalExtensionOIDs().isEmpty());
  }

  @Test
  void casSideBindingFromTheTlsPeerCertificateMatchesTheRuntimeSide() throws Exception {
    ChannelIdentity server = ChannelIdentity.generate("cas", Duration.ofHours(1));
    ChannelIdentity client = ChannelIdentity.generate("runtime", Duration.ofHours(1));
    byte[] nonce = Rng.bytes(32);

    SSLContext serverCtx = SSLContext.getInstance("TLSv1.3");
    serverCtx.init(server.keyManagers(), trustOnly(client.certificate()), null);
    SSLContext clientCtx = SSLContext.getInstance("TLSv1.3");
    clientCtx.init(client.keyManagers(), trustOnly(server.certificate()), null);

    try (SSLServerSocket ss =
        (SSLServerSocket)
            serverCtx
                .getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ss.setNeedClientAuth(true);
      ss.setSoTimeout(10_000);
      CompletableFuture<byte[]> seen =
          CompletableFuture.supplyAsync(
              () -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                  s.setSoTimeout(10_000);
                  InputStream in = s.getInputStream();
                  in.read();
                  X509Certificate peer = (X509Certificate) s.getSession().getPeerCertificates()[0];
                  s.getOutputStream().write(1);
                  return ReportData.bind(peer, nonce);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      try (SSLSocket c =
          (SSLSocket)
              clientCtx
                  .getSocketFactory()
                  .createSocket(InetAddress.getLoopbackAddress(), ss.getLocalPort())) {
        c.setSoTimeout(10_000);
        OutputStream out = c.getOutputStream();
        out.write(0);
        out.flush();
        c.getInputStream().read();
      }
      assertArrayEquals(client.reportData(nonce), seen.get(20, TimeUnit.SECONDS));
    }
  }
}
