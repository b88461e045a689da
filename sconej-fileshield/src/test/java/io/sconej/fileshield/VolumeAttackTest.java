package io.sconej.fileshield;

import static io.sconej.fileshield.VolumeRoundTripTest.RW;
import static io.sconej.fileshield.VolumeRoundTripTest.read;
import static io.sconej.fileshield.VolumeRoundTripTest.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sconej.crypto.SecretBytes;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One attack per invariant of ARCHITECTURE.md section 3; each fails if its defence breaks. */
class VolumeAttackTest {
  static final int CS = 512;
  @TempDir Path tmp;
  final SecretBytes key = SecretBytes.random(32);
  Path vol;
  VolumeTag tag;
  byte[] a;
  byte[] b;

  @BeforeEach
  void setUp() throws Exception {
    vol = tmp.resolve("vol");
    SplittableRandom r = new SplittableRandom(7);
    a = new byte[CS * 5 + 100];
    b = new byte[CS * 5 + 100];
    r.nextBytes(a);
    r.nextBytes(b);
    try (Volume v = Volume.create(vol, key, VolumeConfig.builder().chunkSizeBytes(CS).build())) {
      v.createDirectory("dir");
      write(v, "dir/a.bin", a, 0);
      write(v, "b.bin", b, 0);
      tag = v.sync();
    }
  }

  VolumeConfig expecting(VolumeTag t) {
    return VolumeConfig.builder().expectedTags(Set.of(t)).build();
  }

  /** Opens with the expected tag and verifies; returns the violation, or fails if none. */
  IntegrityViolationException caught() {
    return caught("");
  }

  IntegrityViolationException caught(String what) {
    try (Volume v = Volume.open(vol, key, expecting(tag))) {
      v.verify();
    } catch (IntegrityViolationException e) {
      return e;
    } catch (IOException e) {
      fail("expected an integrity violation, got " + e);
    }
    return fail("tampering was not detected " + what);
  }

  Path dataFile(String path) throws Exception {
    try (Volume v = Volume.open(vol, key, VolumeConfig.defaults())) {
      return v.hostDataFile(path).orElseThrow();
    }
  }

  static List<Path> hostFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  @Test
  void flippingAnyLiveByteOfAnyHostFileIsDetected() throws Exception {
    Path backup = tmp.resolve("backup");
    copyTree(vol, backup);
    int flips = 0;
    for (Path f : hostFiles(vol)) {
      if (f.getFileName().toString().equals(ManifestStore.CLEAN_NAME)) {
        continue; // a hint, not state: altering it only makes the open recover from the journal
      }
      byte[] orig = Files.readAllBytes(f);
      int live = f.getFileName().toString().startsWith("jnl-") ? journalEnd(f) : orig.length;
      int step = Math.max(1, live / 97);
      for (int i = 0; i < live; i += step) {
        if (orig[i] == 0 && f.startsWith(vol.resolve("data"))) {
          continue; // a hole of an unused slot: not part of any state
        }
        byte[] t = orig.clone();
        t[i] ^= 0x01;
        Files.write(f, t);
        IntegrityViolationException e = caught(f + " byte " + i);
        assertTrue(e.getMessage().startsWith("integrity violation"), e.getMessage());
        Files.write(f, orig);
        flips++;
      }
    }
    assertTrue(flips > 200, "too few flips: " + flips);
    try (Volume v = Volume.open(vol, key, expecting(tag))) {
      v.verify(); // restored: intact again
    }
  }

  @Test
  void truncatedDataFileIsMissingData() throws Exception {
    Path f = dataFile("dir/a.bin");
    try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
      r.setLength(r.length() - 1);
    }
    IntegrityViolationException e = caught();
    assertEquals(Violation.MISSING_DATA, e.violation());
    assertEquals("dir/a.bin", e.path());
  }

  @Test
  void truncatedJournalIsARollbackCaughtByTheTag() throws Exception {
    try (Volume v = Volume.open(vol, key, VolumeConfig.defaults())) {
      write(v, "b.bin", new byte[] {1, 2, 3}, 0);
      tag = v.sync();
    }
    Path jnl = hostFiles(vol).stream().filter(p -> p.getFileName().toString().startsWith("jnl-"))
        .findFirst().orElseThrow();
    try (RandomAccessFile r = new RandomAccessFile(jnl.toFile(), "rw")) {
      r.setLength(journalEnd(jnl) - 10);
    }
    assertEquals(Violation.STALE_STATE, caught().violation());
  }

  /** End of the last frame of a journal (the rest is zeros of its preallocation). */
  static int journalEnd(Path jnl) throws IOException {
    ByteBuffer j = ByteBuffer.wrap(Files.readAllBytes(jnl));
    int off = 0;
    while (off + 4 <= j.limit() && j.getInt(off) != 0) {
      off += 4 + j.getInt(off);
    }
    return off;
  }

  @Test
  void journalPreallocationIsZerosAfterTheLastFrame() throws Exception {
    Path jnl = hostFiles(vol).stream().filter(p -> p.getFileName().toString().startsWith("jnl-"))
        .findFirst().orElseThrow();
    int end = journalEnd(jnl);
    byte[] all = Files.readAllBytes(jnl);
    assertTrue(all.length >= ManifestStore.PREALLOC_BYTES && end < all.length,
        "journal of " + all.length + " bytes, frames end at " + end);
    for (int i = end; i < all.length; i++) {
      assertEquals(0, all[i], "byte " + i + " of the preallocation");
    }
  }

  @Test
  void garbageWrittenOverThePreallocationChangesNothing() throws Exception {
    Path jnl = hostFiles(vol).stream().filter(p -> p.getFileName().toString().startsWith("jnl-"))
        .findFirst().orElseThrow();
    copyRange(jnl, 0, jnl, journalEnd(jnl), 100); // a torn copy of the first frame's start
    try (Volume v = Volume.open(vol, key, expecting(tag))) {
      v.verify();
      assertArrayEquals(a, read(v, "dir/a.bin"));
      write(v, "b.bin", new byte[] {4, 5, 6}, 0);
      tag = v.sync(); // appends after the discarded tail
    }
    try (Volume v = Volume.open(vol, key, expecting(tag))) {
      assertEquals(4, read(v, "b.bin")[0]);
    }
  }

  @Test
  void garbageAppendedToTheJournalChangesNothing() throws Exception {
    Path jnl = hostFiles(vol).stream().filter(p -> p.getFileName().toString().startsWith("jnl-"))
        .findFirst().orElseThrow();
    Files.write(jnl, new byte[] {0, 0, 0, 40, 1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
    try (Volume v = Volume.open(vol, key, expecting(tag))) {
      v.verify();
      assertArrayEquals(a, read(v, "dir/a.bin"));
    }
  }

  @Test
  void extendedCheckpointIsDetected() throws Exception {
    try (Volume v = Volume.open(vol, key, VolumeConfig.defaults())) {
      v.sync();
    }
    Path chk = hostFiles(vol).stream().filter(p -> p.getFileName().toString().startsWith("chk-"))
        .findFirst().orElseThrow();
    Files.write(chk, new byte[] {9}, java.nio.file.StandardOpenOption.APPEND);
    assertEquals(Violation.TAMPERED_METADATA, caught().violation());
  }

  private static void copyRange(Path from, long fromOff, Path to, long toOff, int len)
      throws IOException {
    byte[] buf = new byte[len];
    try (RandomAccessFile r = new RandomAccessFile(from.toFile(), "r")) {
      r.seek(fromOff);
      r.readFully(buf);
    }
    try (RandomAccessFile w = new RandomAccessFile(to.toFile(), "rw")) {
      w.seek(toOff);
      w.write(buf);
    }
  }

  /** Host offset of chunk i in its live slot (fresh files live in slot B). */
  static long liveOffset(long i) {
    return ((i / 64) * 2 + 1) * 64L * CS + (i % 64) * CS;
  }

  @Test
  void chunkMovedWithinAFileIsDetected() throws Exception {
    Path f = dataFile("dir/a.bin");
    copyRange(f, liveOffset(1), f, liveOffset(2), CS);
    IntegrityViolationException e = caught();
    assertEquals(Violation.TAMPERED_CHUNK, e.violation());
    assertEquals(2, e.chunkIndex());
  }

  @Test
  void chunksSwappedWithinAFileAreDetected() throws Exception {
    Path f = dataFile("dir/a.bin");
    Path copy = tmp.resolve("copy");
    Files.copy(f, copy);
    copyRange(copy, liveOffset(0), f, liveOffset(3), CS);
    copyRange(copy, liveOffset(3), f, liveOffset(0), CS);
    assertEquals(0, caught().chunkIndex());
  }

  @Test
  void chunkCopiedAcrossFilesAtTheSamePositionIsDetected() throws Exception {
    copyRange(dataFile("b.bin"), liveOffset(1), dataFile("dir/a.bin"), liveOffset(1), CS);
    IntegrityViolationException e = caught();
    assertEquals("dir/a.bin", e.path());
    assertEquals(1, e.chunkIndex());
  }

  @Test
  void wholeFilesSwappedOnTheHostAreDetected() throws Exception {
    Path fa = dataFile("dir/a.bin");
    Path fb = dataFile("b.bin");
    Path t = tmp.resolve("t");
    Files.move(fa, t);
    Files.move(fb, fa);
    Files.move(t, fb);
    assertEquals(Violation.TAMPERED_CHUNK, caught().violation());
  }

  @Test
  void deletedDataFileIsDetected() throws Exception {
    Files.delete(dataFile("b.bin"));
    IntegrityViolationException e = caught();
    assertEquals(Violation.MISSING_DATA, e.violation());
    assertEquals("b.bin", e.path());
  }

  @Test
  void olderVersionOfAChunkInTheSameSlotIsDetected() throws Exception {
    Path f = dataFile("b.bin");
    Path v1 = tmp.resolve("v1");
    Files.copy(f, v1); // state 1: chunk 1 lives in slot B
    for (int round = 0; round < 2; round++) { // rewrite twice: slot A, then slot B again
      try (Volume v = Volume.open(vol, key, VolumeConfig.defaults())) {
        write(v, "b.bin", new byte[CS], CS);
        tag = v.sync();
      }
    }
    copyRange(v1, liveOffset(1), f, liveOffset(1), CS); // the older copy, same slot, valid GCM
    IntegrityViolationException e = caught();
    assertEquals(Violation.TAMPERED_CHUNK, e.violation());
    assertEquals(1, e.chunkIndex());
  }

  @Test
  void olderCopyOfAWholeFileIsDetected() throws Exception {
    Path f = dataFile("b.bin");
    Path old = tmp.resolve("old");
    Files.copy(f, old);
    try (Volume v = Volume.open(vol, key, VolumeConfig.defaults())) {
      write(v, "b.bin", new byte[CS * 5], 0);
      tag = v.sync();
    }
    Files.copy(old, f, StandardCopyOption.REPLACE_EXISTING);
    assertEquals(Violation.TAMPERED_CHUNK, caught().violation());
  }

  @Test
  void olderCopyOfTheWholeVolumeIsAFreshnessViolation() throws Exception {
    Path old = tmp.resolve("old");
    copyTree(vol, old);
    try (Volume v = Volume.open(vol, key, VolumeConfig.defaults())) {
      v.delete("b.bin");
      tag = v.sync();
    }
    deleteTree(vol);
    copyTree(old, vol);
    assertThrows(FreshnessViolationException.class, () -> Volume.open(vol, key, expecting(tag)));
  }

  @Test
  void olderManifestBesideNewerDataIsARollbackCaughtByTheTag() throws Exception {
    Path old = tmp.resolve("old");
    copyTree(vol, old);
    try (Volume v = Volume.open(vol, key, VolumeConfig.defaults())) {
      write(v, "b.bin", new byte[CS * 2], 0);
      tag = v.sync();
    }
    for (Path p : hostFiles(vol)) {
      String n = p.getFileName().toString();
      if (n.startsWith("jnl-") || n.startsWith("chk-")) {
        Files.delete(p);
      }
    }
    for (Path p : hostFiles(old)) {
      String n = p.getFileName().toString();
      if (n.startsWith("jnl-") || n.startsWith("chk-")) {
        Files.copy(p, vol.resolve(n));
      }
    }
    // The older manifest opens: only the expected tag (held by the CAS) tells it from the
    // current one. The rewritten chunks' old slots were given back, but the old journal carries
    // its small commits' sealed chunks (docs/fileshield-crash.md), so without the tag the older
    // state even reads back whole: the tag is the only defence, and it holds.
    assertEquals(Violation.STALE_STATE, caught().violation());
    try (Volume v = Volume.open(vol, key, VolumeConfig.builder().readOnly(true).build())) {
      org.junit.jupiter.api.Assertions.assertArrayEquals(b, read(v, "b.bin"));
    }
  }

  @Test
  void wrongKeyIsRefused() {
    assertThrows(WrongKeyException.class,
        () -> Volume.open(vol, SecretBytes.random(32), VolumeConfig.defaults()));
  }

  @Test
  void tamperedHeaderParameterIsRefusedLikeAWrongKey() throws Exception {
    Path h = vol.resolve("volume.sconej");
    byte[] raw = Files.readAllBytes(h);
    raw[10] = 2; // encrypted -> authenticated
    Files.write(h, raw);
    assertThrows(WrongKeyException.class, () -> Volume.open(vol, key, VolumeConfig.defaults()));
  }

  @Test
  void readsOfViolatedDataReturnNoBytes() throws Exception {
    Path f = dataFile("dir/a.bin");
    try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
      r.seek(liveOffset(1) + 7);
      r.write(r.read() ^ 0x80);
    }
    try (Volume v = Volume.open(vol, key, expecting(tag));
        VolumeFile file = v.open("dir/a.bin", Set.of(java.nio.file.StandardOpenOption.READ))) {
      ByteBuffer dst = ByteBuffer.allocate(CS);
      IntegrityViolationException e =
          assertThrows(IntegrityViolationException.class, () -> file.read(dst, CS));
      assertEquals(0, dst.position());
      assertTrue(e.getMessage().contains("'dir/a.bin' chunk 1"), e.getMessage());
      ByteBuffer ok = ByteBuffer.allocate(CS);
      assertEquals(CS, file.read(ok, 0)); // other chunks still readable
    }
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      List<Path> all = new ArrayList<>(s.toList());
      java.util.Collections.reverse(all);
      for (Path p : all) {
        Files.delete(p);
      }
    }
  }
}
