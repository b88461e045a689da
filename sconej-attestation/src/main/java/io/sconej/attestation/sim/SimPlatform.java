package io.sconej.attestation.sim;

import io.sconej.attestation.x509.SelfSignedCertificates;
import io.sconej.crypto.Hex;
import io.sconej.crypto.Rng;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * A SIMULATION platform: a local EC P-256 software key and its self-signed certificate, which signs
 * {@link SimEvidence}. It gives NO hardware protection: whoever can read the key file (the host's
 * root, in the threat model) can sign any evidence. A CAS trusts a sim platform only because its
 * configuration lists the platform's certificate, and a policy accepts its evidence only with
 * {@code tolerate: [simulation]}.
 *
 * <p>On disk (see {@code docs/formats/sim-evidence.md}): {@value #KEY_FILE} (PKCS#8 PEM, created
 * with mode 0600) and {@value #CERT_FILE} (X.509 PEM). The platform id is the lower-case hex
 * SHA-256 of the certificate's DER SubjectPublicKeyInfo.
 */
public final class SimPlatform {
  /** Name of the private key file in a platform directory. */
  public static final String KEY_FILE = "platform-key.pem";

  /** Name of the certificate file in a platform directory. */
  public static final String CERT_FILE = "platform-cert.pem";

  /** Validity of a certificate made by {@link #init(Path)}. */
  public static final Duration DEFAULT_VALIDITY = Duration.ofDays(3650);

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private final PrivateKey privateKey;
  private final X509Certificate certificate;
  private final byte[] platformId;

  private SimPlatform(PrivateKey privateKey, X509Certificate certificate) {
    this.privateKey = privateKey;
    this.certificate = certificate;
    this.platformId = platformIdOf(certificate.getPublicKey());
  }

  /**
   * A fresh in-memory platform whose certificate is valid from {@code notBefore} to {@code
   * notAfter}.
   */
  public static SimPlatform generate(Instant notBefore, Instant notAfter) {
    KeyPair keys = SelfSignedCertificates.generateP256KeyPair();
    String name = "sconej SIMULATION platform " + Hex.encode(platformIdOf(keys.getPublic()));
    return new SimPlatform(
        keys.getPrivate(), SelfSignedCertificates.issue(keys, name, notBefore, notAfter));
  }

  /** {@link #init(Path, Duration)} with {@link #DEFAULT_VALIDITY}. */
  public static SimPlatform init(Path dir) throws IOException {
    return init(dir, DEFAULT_VALIDITY);
  }

  /**
   * Creates a platform key and certificate (valid from now minus one minute for {@code validity})
   * in {@code dir}, creating the directory if needed. The key file is created with mode 0600 before
   * any byte is written to it.
   *
   * @throws FileAlreadyExistsException if either file exists (never overwrites a platform key)
   */
  public static SimPlatform init(Path dir, Duration validity) throws IOException {
    Path keyFile = dir.resolve(KEY_FILE);
    Path certFile = dir.resolve(CERT_FILE);
    for (Path p : new Path[] {keyFile, certFile}) {
      if (Files.exists(p)) {
        throw new FileAlreadyExistsException(p.toString(), null, "platform file exists");
      }
    }
    Instant now = Instant.now();
    SimPlatform p = generate(now.minus(Duration.ofMinutes(1)), now.plus(validity));
    Files.createDirectories(dir);
    Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    Files.writeString(
        keyFile, Pem.encode("PRIVATE KEY", p.privateKey.getEncoded()), StandardCharsets.US_ASCII);
    Files.writeString(certFile, p.certificatePem(), StandardCharsets.US_ASCII);
    return p;
  }

  /**
   * Loads the platform in {@code dir}.
   *
   * @throws IOException naming the file if a file is missing or malformed, if the key file is
   *     accessible to group or others, or if the key does not match the certificate
   */
  public static SimPlatform load(Path dir) throws IOException {
    Path keyFile = dir.resolve(KEY_FILE);
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(keyFile);
    if (!OWNER_ONLY.containsAll(perms)) {
      throw new IOException(
          keyFile
              + ": platform key is accessible to group or others (mode "
              + PosixFilePermissions.toString(perms)
              + "); chmod 600 it");
    }
    X509Certificate cert = readCertificate(dir.resolve(CERT_FILE));
    PrivateKey key;
    try {
      key =
          KeyFactory.getInstance("EC")
              .generatePrivate(new PKCS8EncodedKeySpec(Pem.read(keyFile, "PRIVATE KEY")));
    } catch (GeneralSecurityException e) {
      throw new IOException(keyFile + ": not an EC PKCS#8 private key", e);
    }
    SimPlatform p = new SimPlatform(key, cert);
    byte[] probe = Rng.bytes(32);
    try {
      Signature v = Signature.getInstance(SimEvidenceDescriptor.SIGNATURE_ALGORITHM);
      v.initVerify(cert.getPublicKey());
      v.update(probe);
      if (!v.verify(p.sign(probe))) {
        throw new IOException(keyFile + ": key does not match " + dir.resolve(CERT_FILE));
      }
    } catch (GeneralSecurityException e) {
      throw new IOException(keyFile + ": key does not match " + dir.resolve(CERT_FILE), e);
    }
    return p;
  }

  /**
   * Reads one X.509 certificate from a PEM file (for a verifier's trusted platform list).
   *
   * @throws IOException naming the file if it holds no parsable certificate
   */
  public static X509Certificate readCertificate(Path pemFile) throws IOException {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(Pem.read(pemFile, "CERTIFICATE")));
    } catch (CertificateException e) {
      throw new IOException(pemFile + ": not an X.509 certificate", e);
    }
  }

  /** The 32-byte platform id: SHA-256 of the DER SubjectPublicKeyInfo of {@code key}. */
  public static byte[] platformIdOf(PublicKey key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  /** The platform's self-signed certificate (what a CAS configuration lists as trusted). */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The certificate in PEM form. */
  public String certificatePem() {
    try {
      return Pem.encode("CERTIFICATE", certificate.getEncoded());
    } catch (CertificateException e) {
      throw new IllegalStateException("certificate cannot be encoded", e);
    }
  }

  /** The 32-byte platform id (SHA-256 of the public key's SubjectPublicKeyInfo). */
  public byte[] platformId() {
    return platformId.clone();
  }

  /** The platform id in lower-case hex, as {@code VerifiedEvidence.platformId()} reports it. */
  public String platformIdHex() {
    return Hex.encode(platformId);
  }

  /** Signs a message with the platform key (P1363 r||s, 64 bytes). */
  byte[] sign(byte[] message) {
    try {
      Signature s = Signature.getInstance(SimEvidenceDescriptor.SIGNATURE_ALGORITHM);
      s.initSign(privateKey, Rng.secure());
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("platform key cannot sign", e);
    }
  }

  @Override
  public String toString() {
    return "SimPlatform[id=" + platformIdHex() + ", SIMULATION: no hardware protection]";
  }
}
