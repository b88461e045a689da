package io.sconej.attestation;

import io.sconej.attestation.x509.SelfSignedCertificates;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;

/**
 * The runtime's ephemeral TLS client identity for attestation ({@code CasClient.newIdentity()}): a
 * fresh Ed25519 key pair that never leaves memory (Ed25519 keeps the enclave's start-up free of
 * P-256 arithmetic, docs/benchmarks.md), and a self-signed certificate for it (JDK only, no BouncyCastle in the enclave).
 * The evidence travels in the attestation request body, not in a certificate extension; its report
 * data is {@link #reportData(byte[]) ReportData.bind(spki, nonce)}, so a CAS that computes the
 * binding from the client certificate it sees in the TLS handshake ({@link
 * ReportData#bind(X509Certificate, byte[])}) knows the evidence was made for this channel.
 *
 * <p>Restrictions: a new identity per attestation (per start); the private key is held in the JVM
 * heap, so in {@link TeeMode#SIM} the host can read it.
 */
public final class ChannelIdentity {
  private static final char[] NO_PASSWORD = new char[0];

  private final KeyPair keys;
  private final X509Certificate certificate;

  private ChannelIdentity(KeyPair keys, X509Certificate certificate) {
    this.keys = keys;
    this.certificate = certificate;
  }

  /**
   * A fresh identity whose certificate has subject {@code CN=commonName} and is valid from one
   * minute ago for {@code validity}.
   */
  public static ChannelIdentity generate(String commonName, Duration validity) {
    KeyPair keys = SelfSignedCertificates.generateEd25519KeyPair();
    Instant now = Instant.now();
    return new ChannelIdentity(
        keys,
        SelfSignedCertificates.issue(
            keys, commonName, now.minus(Duration.ofMinutes(1)), now.plus(validity)));
  }

  /** The key pair (its private key never leaves this JVM). */
  public KeyPair keys() {
    return keys;
  }

  /** The self-signed certificate presented as TLS client certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The DER SubjectPublicKeyInfo of the key, the input to {@link ReportData#bind}. */
  public byte[] spki() {
    return keys.getPublic().getEncoded();
  }

  /** The 64 bytes of report data binding this key and the CAS's {@code nonce}. */
  public byte[] reportData(byte[] nonce) {
    return ReportData.bind(spki(), nonce);
  }

  /**
   * Key managers presenting this identity, for {@code SSLContext.init(keyManagers, ...)}.
   *
   * @throws GeneralSecurityException if the JDK cannot build an in-memory PKCS#12 key store
   */
  public KeyManager[] keyManagers() throws GeneralSecurityException {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("channel", keys.getPrivate(), NO_PASSWORD, new Certificate[] {certificate});
      KeyManagerFactory f = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      f.init(ks, NO_PASSWORD);
      return f.getKeyManagers();
    } catch (IOException e) {
      throw new GeneralSecurityException("in-memory key store failed", e);
    }
  }
}
