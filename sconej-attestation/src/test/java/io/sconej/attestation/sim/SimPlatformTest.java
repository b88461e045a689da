package io.sconej.attestation.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sconej.attestation.ReportData;
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
  void platformIdIsTheHashOfTheCertificateKey() {
    SimPlatform p = SimPlatform.generate(Instant.now(), Instant.now().plusSeconds(60));
    assertArrayEquals(p.platformId(), SimPlatform.platformIdOf(p.certificate().getPublicKey()));
  }
}
