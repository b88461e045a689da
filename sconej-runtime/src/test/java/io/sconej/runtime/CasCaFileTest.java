package io.sconej.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The enclave reads {@code --cas-ca} as a small regular file: a device, a FIFO, a directory, a
 * missing or a garbage file is a start refusal with exit 2 and one line naming it, never a hang or
 * an out-of-memory error.
 */
class CasCaFileTest {
  @TempDir Path dir;

  private static LaunchException refused(Path p) {
    return assertThrows(LaunchException.class, () -> EnclaveMain.readCert(p));
  }

  @Test
  // a guard only: without the regular-file check, /dev/zero and the FIFO never end
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aDeviceFifoDirectoryMissingOrGarbageFileIsExit2NamingIt() throws Exception {
    Path fifo = dir.resolve("ca.fifo");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    Path garbage = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
    Path big = Files.write(dir.resolve("big.pem"), new byte[EnclaveMain.CAS_CA_MAX_BYTES + 1]);
    String notRegular = " is not a regular file (a FIFO, device or socket is refused)";
    for (var c :
        new Object[][] {
          {Path.of("/dev/zero"), "--cas-ca /dev/zero" + notRegular},
          {fifo, "--cas-ca " + fifo + notRegular},
          {dir, "--cas-ca " + dir + " is a directory, not a file"},
          {dir.resolve("none"), "--cas-ca " + dir.resolve("none") + " does not exist"},
          {garbage, "--cas-ca " + garbage + " holds no X.509 certificate"},
          {big, "--cas-ca " + big + " is larger than the limit of 65536 bytes"}
        }) {
      LaunchException e = refused((Path) c[0]);
      assertEquals(2, e.exitCode());
      assertEquals(c[1], e.getMessage());
    }
  }
}
