package io.sconej.cas;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The CAS's server {@link SSLContext} as Helidon's listener sees it: the JDK's TLS 1.3 context,
 * whose socket factory hands every accepted connection to the {@link ConnectionGuard} before the
 * handshake, and fixes the server's TLS settings on each socket (TLS 1.3 only, client certificates
 * wanted, not required). Helidon's byte-socket listener ({@code useNio(false)}) layers the TLS
 * socket over the accepted one with this factory and then runs the handshake.
 *
 * <p>Refuses to make client sockets, and to be initialised again.
 */
final class GuardedSslContext extends SSLContext {
  private static final String[] PROTOCOLS = {"TLSv1.3"};

  GuardedSslContext(SSLContext delegate, ConnectionGuard guard) {
    super(new Spi(delegate, guard), delegate.getProvider(), delegate.getProtocol());
  }

  private static final class Spi extends SSLContextSpi {
    private final SSLContext delegate;
    private final SSLSocketFactory factory;

    Spi(SSLContext delegate, ConnectionGuard guard) {
      this.delegate = delegate;
      this.factory = new Factory(delegate.getSocketFactory(), guard);
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr)
        throws KeyManagementException {
      throw new KeyManagementException("the CAS's TLS context is initialised once");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return factory;
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return delegate.getServerSocketFactory();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return serverEngine(delegate.createSSLEngine());
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return serverEngine(delegate.createSSLEngine(host, port));
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return delegate.getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return delegate.getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return serverParameters(delegate.getDefaultSSLParameters());
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return delegate.getSupportedSSLParameters();
    }
  }

  private static SSLEngine serverEngine(SSLEngine e) {
    e.setUseClientMode(false);
    e.setSSLParameters(serverParameters(e.getSSLParameters()));
    return e;
  }

  private static SSLParameters serverParameters(SSLParameters p) {
    p.setProtocols(PROTOCOLS);
    p.setWantClientAuth(true);
    return p;
  }

  /** Server-side layering only; admits each connection through the guard. */
  private static final class Factory extends SSLSocketFactory {
    private final SSLSocketFactory delegate;
    private final ConnectionGuard guard;

    Factory(SSLSocketFactory delegate, ConnectionGuard guard) {
      this.delegate = delegate;
      this.guard = guard;
    }

    @Override
    public Socket createSocket(Socket s, InputStream consumed, boolean autoClose)
        throws IOException {
      // autoClose true whatever the caller asks: closing the TLS socket must close the TCP socket
      // (a layered socket without it waits for the peer's close_notify and keeps the descriptor).
      SSLSocket t = (SSLSocket) delegate.createSocket(s, consumed, true);
      t.setSSLParameters(serverParameters(t.getSSLParameters()));
      guard.admit(s, t);
      return t;
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose)
        throws IOException {
      throw clientSide();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      throw clientSide();
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress local, int localPort)
        throws IOException {
      throw clientSide();
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      throw clientSide();
    }

    @Override
    public Socket createSocket(InetAddress a, int port, InetAddress local, int localPort)
        throws IOException {
      throw clientSide();
    }

    private static SocketException clientSide() {
      return new SocketException("the CAS's TLS context makes server sockets only");
    }
  }
}
