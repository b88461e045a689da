package io.sconej.cas;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The CAS's server key manager: its one key (Ed25519, or EC in data directories made by earlier
 * versions) and certificate held in memory. (The JDK's PKIX key
 * manager over a PKCS#12 key store decrypts the key with PBKDF2 on every handshake, which cost more
 * than the handshake itself.) Never acts as a client.
 */
final class CasKeyManager extends X509ExtendedKeyManager {
  private static final String ALIAS = "cas";
  private final PrivateKey key;
  private final X509Certificate cert;

  CasKeyManager(PrivateKey key, X509Certificate cert) {
    this.key = key;
    this.cert = cert;
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return new String[] {ALIAS};
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return key.getAlgorithm().equals(keyType) ? ALIAS : null;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return key.getAlgorithm().equals(keyType) ? ALIAS : null;
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
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? new X509Certificate[] {cert} : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? key : null;
  }
}
