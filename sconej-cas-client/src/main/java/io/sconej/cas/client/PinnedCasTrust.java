package io.sconej.cas.client;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts exactly one CAS: the server's certificate must be the pinned CA certificate itself (the
 * CAS presents its self-signed CA certificate as its TLS certificate) or a certificate that the
 * pinned key signed directly and that is valid now. TLS 1.3 itself proves that the server holds the
 * certificate's private key (CertificateVerify), so nothing else is needed and no other trust
 * anchor, path building or revocation source is consulted.
 *
 * <p>Why not the JDK's PKIX trust manager with a one-entry key store: it gives the same answer for
 * these chains, but its set-up and path validation are a large share of a cold enclave's start-up
 * (docs/benchmarks.md). Refuses every client (this is a client-side trust manager).
 */
final class PinnedCasTrust extends X509ExtendedTrustManager {
  private final X509Certificate pinned;
  private final byte[] pinnedDer;

  PinnedCasTrust(X509Certificate pinned) throws CertificateEncodingException {
    this.pinned = pinned;
    this.pinnedDer = pinned.getEncoded();
  }

  /** Accepts {@code chain} if its first certificate is the pinned one or issued by its key. */
  void check(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the CAS presented no certificate");
    }
    X509Certificate leaf = chain[0];
    if (MessageDigest.isEqual(leaf.getEncoded(), pinnedDer)) {
      return;
    }
    if (!leaf.getIssuerX500Principal().equals(pinned.getSubjectX500Principal())) {
      throw new CertificateException("the server's certificate (" + leaf.getSubjectX500Principal()
          + ") is not the pinned CAS CA certificate and not issued by it");
    }
    try {
      leaf.verify(pinned.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new CertificateException(
          "the server's certificate is not signed by the pinned CAS CA key", e);
    }
    leaf.checkValidity();
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("a CAS client trusts no clients");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("a CAS client trusts no clients");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("a CAS client trusts no clients");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[] {pinned};
  }
}
