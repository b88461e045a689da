package io.sconej.verifier.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.attestation.AttestationException;
import io.sconej.attestation.Evidence;
import io.sconej.attestation.ReportData;
import io.sconej.attestation.sim.SimEvidence;
import io.sconej.attestation.sim.SimEvidenceDescriptor;
import io.sconej.attestation.sim.SimPlatform;
import io.sconej.attestation.x509.SelfSignedCertificates;
import io.sconej.crypto.Rng;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class SimPlatformTest {
  @TempDir Path dir;

  @Test
  void initCreatesAnOwnerOnlyKeyAndLoadsBack() throws Exception {
    SimPlatform p = SimPlatform.init(dir.resolve("p"));
    Path key = dir.resolve("p").resolve(SimPlatform.KEY_FILE);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    SimPlatform loaded = SimPlatform.load(dir.resolve("p"));
    assertEquals(p.platformIdHex(), loaded.platformIdHex());
    // Evidence signed by the loaded key verifies against the certificate read from disk.
    var cert = SimPlatform.readCertificate(dir.resolve("p").resolve(SimPlatform.CERT_FILE));
    var v = SimEvidenceVerifier.create(List.of(cert));
    byte[] rd = ReportData.bind(Rng.bytes(10), Rng.bytes(10));
    var e = SimEvidence.create(loaded, Rng.bytes(32), SimEvidence.NO_SIGNER, rd);
    assertArrayEquals(rd, v.verify(e, Instant.now()).reportData());
  }

  @Test
  void initNeverOverwritesAPlatform() throws Exception {
    SimPlatform.init(dir);
    assertThrows(FileAlreadyExistsException.class, () -> SimPlatform.init(dir));
  }

  @Test
  void loadRefusesAKeyReadableByOthers() throws Exception {
    SimPlatform.init(dir);
    Files.setPosixFilePermissions(
        dir.resolve(SimPlatform.KEY_FILE), PosixFilePermissions.fromString("rw-r--r--"));
    IOException e = assertThrows(IOException.class, () -> SimPlatform.load(dir));
    assertEquals(true, e.getMessage().contains("accessible to group or others"));
  }

  @Test
  // a guard only: without the check, these never end
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void platformFilesMustBeSmallRegularFiles() throws Exception {
    SimPlatform.init(dir);
    Path key = dir.resolve(SimPlatform.KEY_FILE);
    Path cert = dir.resolve(SimPlatform.CERT_FILE);
    String notRegular = " is not a regular file (a FIFO, device or socket is refused)";
    // A FIFO as the key (mode 0600, so the permission check passes): reading it would block.
    Files.delete(key);
    assertEquals(0, new ProcessBuilder("mkfifo", "-m", "600", key.toString()).start().waitFor());
    for (var load : List.<PlatformLoader>of(SimPlatform::load, SimPlatform::open)) {
      IOException e = assertThrows(IOException.class, () -> load.load(dir));
      assertEquals("platform key " + key + notRegular, e.getMessage());
    }
    // /dev/zero as the certificate: reading it would never end.
    Files.delete(cert);
    Files.createSymbolicLink(cert, Path.of("/dev/zero"));
    assertEquals("platform certificate " + cert + notRegular,
        assertThrows(IOException.class, () -> SimPlatform.readCertificate(cert)).getMessage());
    assertEquals("platform certificate " + cert + notRegular,
        assertThrows(IOException.class, () -> SimPlatform.open(dir)).getMessage());
    Files.delete(cert);
    try (var f = new java.io.RandomAccessFile(cert.toFile(), "rw")) {
      f.setLength(SimPlatform.MAX_FILE_BYTES + 1);
    }
    assertEquals("platform certificate " + cert + " is larger than the limit of 65536 bytes",
        assertThrows(IOException.class, () -> SimPlatform.readCertificate(cert)).getMessage());
  }

  private interface PlatformLoader {
    SimPlatform load(Path dir) throws IOException;
  }

  @Test
  void loadRefusesAKeyThatDoesNotMatchTheCertificate() throws Exception {
    SimPlatform.init(dir.resolve("a"));
    SimPlatform.init(dir.resolve("b"));
    Files.copy(
        dir.resolve("b").resolve(SimPlatform.CERT_FILE),
        dir.resolve("a").resolve(SimPlatform.CERT_FILE),
        StandardCopyOption.REPLACE_EXISTING);
    IOException e = assertThrows(IOException.class, () -> SimPlatform.load(dir.resolve("a")));
    assertEquals(true, e.getMessage().contains("does not match"));
  }

  @Test
  void openSkipsTheProbeAndTheCheckNamesTheMismatchLater() throws Exception {
    SimPlatform.init(dir.resolve("a"));
    SimPlatform.init(dir.resolve("b"));
    Files.copy(
        dir.resolve("b").resolve(SimPlatform.CERT_FILE),
        dir.resolve("a").resolve(SimPlatform.CERT_FILE),
        StandardCopyOption.REPLACE_EXISTING);
    SimPlatform opened = SimPlatform.open(dir.resolve("a"));
    // What the enclave signs with this platform is refused by a verifier trusting the certificate.
    var v = SimEvidenceVerifier.create(List.of(opened.certificate()));
    var e = SimEvidence.create(opened, Rng.bytes(32), SimEvidence.NO_SIGNER,
        ReportData.bind(Rng.bytes(10), Rng.bytes(10)));
    assertEquals(io.sconej.attestation.AttestationException.Reason.BAD_SIGNATURE,
        assertThrows(io.sconej.attestation.AttestationException.class,
            () -> v.verify(e, Instant.now())).reason());
    IOException mismatch = assertThrows(IOException.class,
        () -> opened.checkKeyMatchesCertificate(dir.resolve("a")));
    assertTrue(mismatch.getMessage().contains("does not match"), mismatch.getMessage());
  }

  @Test
  void aP256PlatformMadeByEarlierVersionsStillLoadsAndSignsVersion1() throws Exception {
    // The files an earlier `platform init` wrote: an EC P-256 key and its certificate.
    var keys = SelfSignedCertificates.generateP256KeyPair();
    SimPlatform old = SimPlatform.generate(keys, Instant.now().minusSeconds(60),
        Instant.now().plusSeconds(3600));
    Files.createFile(dir.resolve(SimPlatform.KEY_FILE),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(dir.resolve(SimPlatform.KEY_FILE),
        io.sconej.crypto.Pem.encode("PRIVATE KEY", keys.getPrivate().getEncoded()));
    Files.writeString(dir.resolve(SimPlatform.CERT_FILE), old.certificatePem());
    SimPlatform loaded = SimPlatform.load(dir);
    assertEquals(old.platformIdHex(), loaded.platformIdHex());
    var e = SimEvidence.create(loaded, Rng.bytes(32), SimEvidence.NO_SIGNER,
        ReportData.bind(Rng.bytes(10), Rng.bytes(10)));
    assertEquals(SimEvidenceDescriptor.VERSION_P256,
        e.bytes()[SimEvidenceDescriptor.VERSION_OFFSET + 1]);
    SimEvidenceVerifier.create(List.of(loaded.certificate())).verify(e, Instant.now());
  }

  @Test
  void initMakesAnEd25519KeyAndRefusesOtherKeyTypes() throws Exception {
    SimPlatform p = SimPlatform.init(dir.resolve("p"));
    assertEquals(SimEvidenceDescriptor.VERSION_ED25519,
        SimEvidenceDescriptor.versionFor(p.certificate().getPublicKey()));
    // A P-384 certificate is no sim platform.
    var keys = SelfSignedCertificates.generateP384KeyPair();
    var cert = SelfSignedCertificates.issue(keys, "p384", Instant.now().minusSeconds(60),
        Instant.now().plusSeconds(3600));
    Files.writeString(dir.resolve("p").resolve(SimPlatform.CERT_FILE),
        io.sconej.crypto.Pem.encode("CERTIFICATE", cert.getEncoded()));
    IOException e = assertThrows(IOException.class, () -> SimPlatform.load(dir.resolve("p")));
    assertTrue(e.getMessage().contains("not an Ed25519 or EC P-256 key"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> SimEvidenceVerifier.create(List.of(cert)));
  }

  @Test
  void platformIdIsTheHashOfTheCertificateKey() {
    SimPlatform p = SimPlatform.generate(Instant.now(), Instant.now().plusSeconds(60));
    assertArrayEquals(p.platformId(), SimPlatform.platformIdOf(p.certificate().getPublicKey()));
  }
}
