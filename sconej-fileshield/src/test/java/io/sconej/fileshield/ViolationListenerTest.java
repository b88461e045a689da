package io.sconej.fileshield;

import static io.sconej.fileshield.VolumeRoundTripTest.RW;
import static io.sconej.fileshield.VolumeRoundTripTest.read;
import static io.sconej.fileshield.VolumeRoundTripTest.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.crypto.SecretBytes;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The violation listener hears of every violation found while a volume is open (the runtime's
 * aborts the enclave), and {@link Volume#failClosed} stops every later commit.
 */
class ViolationListenerTest {
  static final int CS = 512;
  @TempDir Path tmp;
  final SecretBytes key = SecretBytes.random(32);
  final List<String> heard = new ArrayList<>();
  final byte[] data = new byte[CS * 3];
  Path vol;
  Path hostFile;

  VolumeConfig listening() {
    return VolumeConfig.builder()
        .violationListener((v, e, f) -> heard.add(e.path() + "|" + e.chunkIndex() + "|"
            + e.violation() + "|" + f))
        .build();
  }

  @BeforeEach
  void setUp() throws Exception {
    vol = tmp.resolve("vol");
    new java.util.SplittableRandom(3).nextBytes(data);
    try (Volume v = Volume.create(vol, key, VolumeConfig.builder().chunkSizeBytes(CS).build())) {
      write(v, "f.bin", data, 0);
      v.sync();
      hostFile = v.hostDataFile("f.bin").orElseThrow();
    }
    // A first write puts chunk i in slot B: host offset 64 * CS + i * CS. Flip a byte of chunk 1.
    try (RandomAccessFile f = new RandomAccessFile(hostFile.toFile(), "rw")) {
      f.seek(64L * CS + CS + 10);
      int b = f.read();
      f.seek(64L * CS + CS + 10);
      f.write(b ^ 1);
    }
  }

  String expected(Violation kind) {
    return "f.bin|1|" + kind + "|" + vol.relativize(hostFile);
  }

  @Test
  void aReadOfATamperedChunkIsHeardBeforeTheCallerGetsTheException() throws Exception {
    try (Volume v = Volume.open(vol, key, listening())) {
      IntegrityViolationException e =
          assertThrows(IntegrityViolationException.class, () -> read(v, "f.bin"));
      assertEquals(1, e.chunkIndex());
      assertEquals(List.of(expected(Violation.TAMPERED_CHUNK)), heard);
      // An intact chunk still reads, unheard.
      try (VolumeFile f = v.open("f.bin", java.util.Set.of())) {
        ByteBuffer b = ByteBuffer.allocate(CS);
        f.read(b, 0);
        assertArrayEquals(java.util.Arrays.copyOf(data, CS), b.array());
      }
      assertEquals(1, heard.size());
    }
  }

  @Test
  void aPartialWriteOrTruncationIntoATamperedChunkIsHeard() throws Exception {
    try (Volume v = Volume.open(vol, key, listening())) {
      assertThrows(IntegrityViolationException.class,
          () -> write(v, "f.bin", new byte[] {1, 2, 3}, CS + 5));
      try (VolumeFile f = v.open("f.bin", RW)) {
        assertThrows(IntegrityViolationException.class, () -> f.truncate(CS + 7));
      }
      assertEquals(List.of(expected(Violation.TAMPERED_CHUNK), expected(Violation.TAMPERED_CHUNK)),
          heard);
    }
  }

  @Test
  void missingDataIsHeard() throws Exception {
    Files.delete(hostFile);
    try (Volume v = Volume.open(vol, key, listening())) {
      assertThrows(IntegrityViolationException.class, () -> read(v, "f.bin"));
    }
    assertEquals(List.of("f.bin|-1|" + Violation.MISSING_DATA + "|" + vol.relativize(hostFile)),
        heard);
  }

  @Test
  void aVolumeFailedClosedCommitsNothingMoreNotEvenAtClose() throws Exception {
    Map<Path, byte[]> before = snapshot();
    Volume v = Volume.open(vol, key, listening());
    write(v, "g.bin", new byte[] {42}, 0);
    v.failClosed("aborted on test");
    IOException e = assertThrows(IOException.class, v::sync);
    assertTrue(e.getMessage().contains("aborted on test"), e.getMessage());
    assertThrows(IOException.class, () -> write(v, "h.bin", new byte[] {1}, 0));
    v.close();
    Map<Path, byte[]> after = snapshot();
    after.keySet().removeIf(p -> p.startsWith(vol.resolve("data"))); // g.bin's uncommitted chunk
    before.keySet().removeIf(p -> p.startsWith(vol.resolve("data")));
    assertEquals(before.keySet(), after.keySet());
    before.forEach((p, b) -> assertArrayEquals(b, after.get(p), "changed: " + p));
  }

  Map<Path, byte[]> snapshot() throws IOException {
    Map<Path, byte[]> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(vol)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        m.put(p, Files.readAllBytes(p));
      }
    }
    return m;
  }
}
