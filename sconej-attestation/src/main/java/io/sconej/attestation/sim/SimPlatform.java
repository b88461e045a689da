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
 * A SIMULATION platform: a local Ed25519 (or, made by earlier versions, EC P-256) software key and
 * its self-signed certificate, which signs {@link SimEvidence} (version 2, or 1 for P-256). It
 * gives NO hardware protection: whoever can read the key file (the host's root, in the threat
 * model) can sign any evidence, and so attest as any enclave and receive every secret and volume
 * key released to it. A CAS trusts a sim platform only because its configuration lists the
 * platform's certificate, and a policy accepts its evidence only with {@code tolerate:
 * [simulation]}.
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

  /**
   * The largest platform key or certificate file read (64 KiB); each must be a regular file (a
   * FIFO or a device is refused: reading it could block or never end).
   */
  public static final int MAX_FILE_BYTES = 64 * 1024;

  /** Validity of a certificate made by {@link #init(Path)}. */
  public static final Duration DEFAULT_VALIDITY = Duration.ofDays(3650);

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private final PrivateKey privateKey;
  private final X509Certificate certificate;
  private final byte[] platformId;
  private final int evidenceVersion;

  private SimPlatform(PrivateKey privateKey, X509Certificate certificate) {
    this.privateKey = privateKey;
    this.certificate = certificate;
    this.platformId = platformIdOf(certificate.getPublicKey());
    this.evidenceVersion = SimEvidenceDescriptor.versionFor(certificate.getPublicKey());
  }

  /**
   * A fresh in-memory platform whose certificate is valid from {@code notBefore} to {@code
   * notAfter}.
   */
  public static SimPlatform generate(Instant notBefore, Instant notAfter) {
    // Ed25519: an enclave then signs its evidence without P-256 arithmetic, whose first use in a
    // JVM builds a generator table (~80 ms of CPU; docs/benchmarks.md).
    return generate(SelfSignedCertificates.generateEd25519KeyPair(), notBefore, notAfter);
  }

  /**
   * An in-memory platform of {@code keys} (Ed25519 or EC P-256: verifier tests of both evidence
   * versions, and platforms whose keys were made elsewhere).
   */
  public static SimPlatform generate(KeyPair keys, Instant notBefore, Instant notAfter) {
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
   * Loads the platform in {@code dir} and checks with a probe signature that its key matches its
   * certificate.
   *
   * @throws IOException naming the file if a file is missing or malformed, if the key file is
   *     accessible to group or others, if the key is neither Ed25519 nor EC P-256, or if the key
   *     does not match the certificate
   */
  public static SimPlatform load(Path dir) throws IOException {
    SimPlatform p = open(dir);
    p.checkKeyMatchesCertificate(dir);
    return p;
  }

  /**
   * Loads the platform in {@code dir} like {@link #load(Path)} but without the probe signature
   * (the enclave's start-up path: a key that does not match its certificate makes the CAS refuse
   * the evidence as {@code BAD_SIGNATURE}, and {@link #checkKeyMatchesCertificate(Path)} then
   * names the cause).
   *
   * @throws IOException as {@link #load(Path)}, except for the key-certificate match
   */
  public static SimPlatform open(Path dir) throws IOException {
    Path keyFile = dir.resolve(KEY_FILE);
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(keyFile);
    if (!OWNER_ONLY.containsAll(perms)) {
      throw new IOException(
          keyFile
              + ": platform key is accessible to group or others (mode "
              + PosixFilePermissions.toString(perms)
              + "); chmod 600 it");
    }
    X509Certificate cert = readCertificate(dir.resolve(CERT_FILE), "platform certificate");
    if (SimEvidenceDescriptor.versionFor(cert.getPublicKey()) < 0) {
      throw new IOException(dir.resolve(CERT_FILE) + ": not an Ed25519 or EC P-256 key");
    }
    PrivateKey key;
    try {
      key =
          KeyFactory.getInstance(cert.getPublicKey().getAlgorithm())
              .generatePrivate(
                  new PKCS8EncodedKeySpec(Pem.read(keyFile, "platform key", "PRIVATE KEY")));
    } catch (GeneralSecurityException e) {
      throw new IOException(keyFile + ": not a PKCS#8 private key of the certificate's type", e);
    }
    return new SimPlatform(key, cert);
  }

  /**
   * Checks with a probe signature that the key matches the certificate, naming the files of {@code
   * dir} (where this platform was loaded from) if not.
   */
  public void checkKeyMatchesCertificate(Path dir) throws IOException {
    Path keyFile = dir.resolve(KEY_FILE);
    byte[] probe = Rng.bytes(32);
    try {
      Signature v = Signature.getInstance(SimEvidenceDescriptor.signatureAlgorithm(evidenceVersion));
      v.initVerify(certificate.getPublicKey());
      v.update(probe);
      if (!v.verify(sign(probe))) {
        throw new IOException(keyFile + ": key does not match " + dir.resolve(CERT_FILE));
      }
    } catch (GeneralSecurityException | IllegalStateException e) {
      throw new IOException(keyFile + ": key does not match " + dir.resolve(CERT_FILE), e);
    }
  }

  /**
   * Reads one X.509 certificate from a PEM file (for a verifier's trusted platform list).
   *
   * @throws IOException naming the file if it is missing, not a regular file, larger than {@link
   *     #MAX_FILE_BYTES} or holds no parsable certificate
   */
  public static X509Certificate readCertificate(Path pemFile) throws IOException {
    return readCertificate(pemFile, "platform certificate");
  }

  private static X509Certificate readCertificate(Path pemFile, String what) throws IOException {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(
                  new ByteArrayInputStream(Pem.read(pemFile, what, "CERTIFICATE")));
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

  /** The version of the evidence this platform signs (by its key type). */
  int evidenceVersion() {
    return evidenceVersion;
  }

  /** Signs a message with the platform key (64 bytes: Ed25519, or P-256 P1363 r||s). */
  byte[] sign(byte[] message) {
    try {
      Signature s = Signature.getInstance(SimEvidenceDescriptor.signatureAlgorithm(evidenceVersion));
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
