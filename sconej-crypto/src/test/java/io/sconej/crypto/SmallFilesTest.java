package io.sconej.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Small input files: regular files only, bounded, one-line refusals naming the file. */
class SmallFilesTest {
  @TempDir Path dir;

  @Test
  void readsARegularFileUpToTheLimit() throws Exception {
    Path f = Files.write(dir.resolve("f"), new byte[] {1, 2, 3, 4});
    assertArrayEquals(new byte[] {1, 2, 3, 4}, SmallFiles.read(f, "key file", 4));
    Path link = Files.createSymbolicLink(dir.resolve("link"), f);
    assertArrayEquals(new byte[] {1, 2, 3, 4}, SmallFiles.read(link, "key file", 4));
    assertEquals(
        "key file " + f + " is larger than the limit of 3 bytes",
        assertThrows(IOException.class, () -> SmallFiles.read(f, "key file", 3)).getMessage());
  }

  @Test
  void aDeviceIsRefusedBeforeItIsRead() throws Exception {
    // Without the check, reading /dev/zero never ends (or runs out of memory).
    IOException e =
        assertThrows(
            IOException.class, () -> SmallFiles.read(Path.of("/dev/zero"), "--cas-ca", 64));
    assertEquals(
        "--cas-ca /dev/zero is not a regular file (a FIFO, device or socket is refused)",
        e.getMessage());
    Path link = Files.createSymbolicLink(dir.resolve("zero.pem"), Path.of("/dev/zero"));
    assertTrue(
        assertThrows(IOException.class, () -> SmallFiles.read(link, "--cas-ca", 64))
            .getMessage()
            .endsWith("is not a regular file (a FIFO, device or socket is refused)"));
  }

  @Test
  // a guard only: without the check, opening a FIFO without a writer never returns
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aFifoIsRefusedInsteadOfBlocking() throws Exception {
    Path fifo = dir.resolve("fifo");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    IOException e = assertThrows(IOException.class, () -> SmallFiles.read(fifo, "key", 64));
    assertEquals(
        "key " + fifo + " is not a regular file (a FIFO, device or socket is refused)",
        e.getMessage());
  }

  @Test
  void aDirectoryAMissingFileAndAnOversizedOneAreNamed() throws Exception {
    assertEquals(
        "policy " + dir + " is a directory, not a file",
        assertThrows(IOException.class, () -> SmallFiles.read(dir, "policy", 64)).getMessage());
    Path none = dir.resolve("none");
    NoSuchFileException missing =
        assertThrows(NoSuchFileException.class, () -> SmallFiles.read(none, "policy", 64));
    assertEquals("policy " + none + " does not exist", missing.getMessage());
    assertEquals(none.toString(), missing.getFile());
    Path big = dir.resolve("big");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(1L << 40); // sparse: a terabyte that takes no space
    }
    assertEquals(
        "policy " + big + " is larger than the limit of 64 bytes",
        assertThrows(IOException.class, () -> SmallFiles.check(big, "policy", 64)).getMessage());
  }
}
