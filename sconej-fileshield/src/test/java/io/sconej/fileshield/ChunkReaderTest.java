package io.sconej.fileshield;

import static io.sconej.fileshield.VolumeRoundTripTest.RW;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sconej.crypto.SecretBytes;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read path ({@link ChunkReader}) against a model: reads spanning many runs (read ahead on
 * virtual threads), both slots, holes, a short last chunk, and heap (with an array offset) and
 * direct destinations; and a tampered chunk deep inside a long read.
 */
class ChunkReaderTest {
  static final int CS = 4096;
  @TempDir Path tmp;
  final SecretBytes key = SecretBytes.random(32);

  /** A file whose chunks sit in both slots, with holes and a short last chunk; returns model. */
  byte[] build(Volume v) throws Exception {
    SplittableRandom r = new SplittableRandom(11);
    byte[] model = new byte[CS * 700 + 123];
    r.nextBytes(model);
    Arrays.fill(model, CS * 300, CS * 310 + 50, (byte) 0); // a hole (and a partial chunk)
    try (VolumeFile f = v.open("f", RW)) {
      f.write(ByteBuffer.wrap(model, 0, CS * 300), 0);
      f.write(ByteBuffer.wrap(model, CS * 310 + 50, model.length - CS * 310 - 50), CS * 310 + 50);
      v.sync();
      for (int i = 0; i < 40; i++) { // rewrites after the commit move chunks to the other slot
        int at = r.nextInt(0, model.length - 3 * CS);
        if (at >= CS * 299 && at < CS * 311) {
          continue;
        }
        byte[] d = new byte[r.nextInt(1, 3 * CS)];
        r.nextBytes(d);
        System.arraycopy(d, 0, model, at, d.length);
        f.write(ByteBuffer.wrap(d), at);
      }
    }
    return model;
  }

  @Test
  void readsOfEveryShapeMatchTheModel() throws Exception {
    try (Volume v = Volume.create(tmp.resolve("vol"), key,
        VolumeConfig.builder().chunkSizeBytes(CS).build())) {
      byte[] model = build(v);
      SplittableRandom r = new SplittableRandom(5);
      try (VolumeFile f = v.open("f", Set.of(StandardOpenOption.READ))) {
        for (int i = 0; i < 300; i++) {
          int pos = i == 0 ? 0 : r.nextInt(0, model.length);
          int len = i == 0 ? model.length : r.nextInt(1, i % 3 == 0 ? 3 << 20 : 3 * CS);
          int want = Math.min(len, model.length - pos);
          ByteBuffer dst;
          if (i % 2 == 0) {
            dst = ByteBuffer.allocate(len + 20).position(7).slice().limit(len); // array offset 7
          } else {
            dst = ByteBuffer.allocateDirect(len);
          }
          assertEquals(want, f.read(dst, pos), "read " + i);
          byte[] got = new byte[want];
          dst.flip().get(got);
          assertArrayEquals(Arrays.copyOfRange(model, pos, pos + want), got,
              "read " + i + " at " + pos + " of " + len);
        }
      }
    }
  }

  @Test
  void aTamperedChunkInsideALongReadStopsTheReadAtThatChunk() throws Exception {
    Path dir = tmp.resolve("vol");
    byte[] model;
    Path data;
    try (Volume v = Volume.create(dir, key, VolumeConfig.builder().chunkSizeBytes(CS).build())) {
      model = build(v);
      v.sync();
      data = v.hostDataFile("f").orElseThrow();
    }
    long chunk = 200; // fourth 64-chunk run of a read from 0
    try (Volume v = Volume.open(dir, key, VolumeConfig.defaults())) {
      try (VolumeFile f = v.open("f", Set.of(StandardOpenOption.READ))) {
        ByteBuffer one = ByteBuffer.allocate(CS);
        f.read(one, chunk * CS); // intact before the flip
        assertArrayEquals(Arrays.copyOfRange(model, (int) chunk * CS, (int) (chunk + 1) * CS),
            one.array());
      }
      flipInLiveSlot(data, chunk, model);
      try (VolumeFile f = v.open("f", Set.of(StandardOpenOption.READ))) {
        ByteBuffer dst = ByteBuffer.allocate(1 << 20);
        IntegrityViolationException e =
            assertThrows(IntegrityViolationException.class, () -> f.read(dst, 0));
        assertEquals(Violation.TAMPERED_CHUNK, e.violation());
        assertEquals(chunk, e.chunkIndex());
        assertEquals(chunk * CS, dst.position(), "delivered up to the tampered chunk only");
        assertArrayEquals(Arrays.copyOfRange(model, 0, (int) chunk * CS),
            Arrays.copyOfRange(dst.array(), 0, (int) chunk * CS));
        assertArrayEquals(new byte[2 * CS],
            Arrays.copyOfRange(dst.array(), (int) chunk * CS, (int) (chunk + 2) * CS),
            "no byte of the tampered chunk or beyond reached the caller");
      }
    }
  }

  /** Flips one byte of the chunk's copy in both host slots (one of them is the live one). */
  static void flipInLiveSlot(Path data, long chunk, byte[] model) throws Exception {
    try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      for (int slot = 0; slot < 2; slot++) {
        long off = ((chunk / 64) * 2 + slot) * 64L * CS + (chunk % 64) * CS + 100;
        ByteBuffer b = ByteBuffer.allocate(1);
        if (ch.read(b, off) == 1) {
          b.put(0, (byte) (b.get(0) ^ 1)).position(0);
          ch.write(b, off);
        }
      }
    }
  }
}
