package io.sconej.cas.client;

import java.net.Socket;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts exactly one CAS: the server's certificate must be byte for byte the pinned CA
 * certificate (the CAS presents its self-signed CA certificate as its TLS certificate, and its key
 * issues nothing else). TLS 1.3 itself proves that the server holds that certificate's private key
 * (CertificateVerify), so nothing else is needed and no trust anchor, path building or revocation
 * source is consulted; a certificate merely issued by the pinned key is refused as well, so that
 * nothing the key might ever sign can stand in for the CAS.
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

  /** Accepts {@code chain} if its first certificate is the pinned one. */
  void check(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the CAS presented no certificate");
    }
    if (!MessageDigest.isEqual(chain[0].getEncoded(), pinnedDer)) {
      throw new CertificateException("the server's certificate ("
          + chain[0].getSubjectX500Principal() + ") is not the pinned CAS certificate");
    }
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
