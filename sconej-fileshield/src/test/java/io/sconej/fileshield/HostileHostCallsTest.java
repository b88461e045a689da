package io.sconej.fileshield;

import static io.sconej.fileshield.VolumeRoundTripTest.read;
import static io.sconej.fileshield.VolumeRoundTripTest.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.crypto.SecretBytes;
import io.sconej.hostcalls.HostCallException;
import io.sconej.hostcalls.HostCalls;
import io.sconej.hostcalls.HostStat;
import io.sconej.hostcalls.SyncHostCalls;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A host that lies in its results (Iago attacks): every lie is refused or harmless. */
class HostileHostCallsTest {
  @TempDir Path tmp;
  final SecretBytes key = SecretBytes.random(32);
  Path vol;
  byte[] data = new byte[20_000];

  enum Lie { NONE, SHORT_READS, OVERSIZED_READ, MISREPORTED_ADVANCE, NEGATIVE_SIZE, BAD_LISTING,
    DUPLICATE_LISTING, WRONG_BYTES, SILENT_WRITES, PUNCHES_EVERYTHING }

  /** Delegates to the real host, lying as told. */
  static final class Hostile implements HostCalls {
    final SyncHostCalls real = SyncHostCalls.create();
    volatile Lie lie = Lie.NONE;

    @Override
    public long open(String path, int flags) throws IOException {
      return real.open(path, flags);
    }

    @Override
    public int pread(long h, ByteBuffer dst, long pos) throws IOException {
      switch (lie) {
        case SHORT_READS -> {
          ByteBuffer one = dst.slice(dst.position(), Math.min(1, dst.remaining()));
          int n = real.pread(h, one, pos);
          if (n > 0) {
            dst.position(dst.position() + n);
          }
          return n;
        }
        case OVERSIZED_READ -> {
          int n = real.pread(h, dst, pos);
          return n + 4096;
        }
        case MISREPORTED_ADVANCE -> {
          real.pread(h, dst, pos);
          return 1;
        }
        case WRONG_BYTES -> {
          return real.pread(h, dst, pos + 1);
        }
        default -> {
          return real.pread(h, dst, pos);
        }
      }
    }

    @Override
    public int pwrite(long h, ByteBuffer src, long pos) throws IOException {
      if (lie == Lie.SILENT_WRITES) {
        int n = src.remaining();
        src.position(src.limit());
        return n; // claims success, writes nothing
      }
      return real.pwrite(h, src, pos);
    }

    @Override
    public long size(long h) throws IOException {
      return lie == Lie.NEGATIVE_SIZE ? -5 : real.size(h);
    }

    @Override
    public boolean punchHole(long h, long pos, long len) throws IOException {
      return lie == Lie.PUNCHES_EVERYTHING ? real.punchHole(h, 0, 1L << 40)
          : real.punchHole(h, pos, len);
    }

    @Override
    public void truncate(long h, long s) throws IOException {
      real.truncate(h, s);
    }

    @Override
    public void fsync(long h, boolean m) throws IOException {
      real.fsync(h, m);
    }

    @Override
    public void close(long h) throws IOException {
      real.close(h);
    }

    @Override
    public HostStat stat(String p) throws IOException {
      return real.stat(p);
    }

    @Override
    public List<String> list(String d) throws IOException {
      List<String> l = new ArrayList<>(real.list(d));
      if (lie == Lie.BAD_LISTING) {
        l.add("..");
      } else if (lie == Lie.DUPLICATE_LISTING && !l.isEmpty()) {
        l.add(l.get(0));
      }
      return l;
    }

    @Override
    public void mkdir(String p) throws IOException {
      real.mkdir(p);
    }

    @Override
    public void delete(String p) throws IOException {
      real.delete(p);
    }

    @Override
    public void rename(String f, String t) throws IOException {
      real.rename(f, t);
    }

    @Override
    public void fsyncDir(String d) throws IOException {
      real.fsyncDir(d);
    }

    @Override
    public void close() throws IOException {
      real.close();
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    vol = tmp.resolve("vol");
    new SplittableRandom(3).nextBytes(data);
    try (Volume v = Volume.create(vol, key, VolumeConfig.defaults())) {
      write(v, "f", data, 0);
    }
  }

  Volume openWith(Hostile h) throws IOException {
    return Volume.open(vol, key, VolumeConfig.builder().hostCalls(h).readOnly(true).build());
  }

  @Test
  void shortReadsAreToleratedAndGiveTheRightBytes() throws Exception {
    Hostile h = new Hostile();
    try (Volume v = openWith(h)) {
      h.lie = Lie.SHORT_READS;
      assertArrayEquals(data, read(v, "f"));
    }
  }

  @Test
  void impossibleReadCountsAreRefused() throws Exception {
    for (Lie lie : List.of(Lie.OVERSIZED_READ, Lie.MISREPORTED_ADVANCE)) {
      Hostile h = new Hostile();
      try (Volume v = openWith(h)) {
        h.lie = lie;
        HostCallException e = assertThrows(HostCallException.class, () -> read(v, "f"));
        assertTrue(e.getMessage().startsWith("host "), e.getMessage());
      }
    }
  }

  @Test
  void impossibleSizesAndListingsAreRefused() throws Exception {
    for (Lie lie : List.of(Lie.NEGATIVE_SIZE, Lie.BAD_LISTING, Lie.DUPLICATE_LISTING)) {
      Hostile h = new Hostile();
      h.lie = lie;
      assertThrows(HostCallException.class,
          () -> Volume.open(vol, key, VolumeConfig.builder().hostCalls(h).build()).close(),
          lie.name());
    }
  }

  @Test
  void wrongBytesFailAuthentication() throws Exception {
    Hostile h = new Hostile();
    try (Volume v = openWith(h)) {
      h.lie = Lie.WRONG_BYTES;
      IntegrityViolationException e =
          assertThrows(IntegrityViolationException.class, () -> read(v, "f"));
      assertTrue(e.getMessage().contains("'f' chunk 0"), e.getMessage());
    }
  }

  @Test
  void writesTheHostSilentlyDroppedAreDetectedAtTheNextRead() throws Exception {
    Hostile h = new Hostile();
    try (Volume v = Volume.open(vol, key, VolumeConfig.builder().hostCalls(h).build())) {
      h.lie = Lie.SILENT_WRITES;
      write(v, "f", new byte[4096], 0);
      h.lie = Lie.NONE;
      assertThrows(IntegrityViolationException.class, () -> read(v, "f"));
    }
  }

  @Test
  void aHostThatPunchesLiveSlotsIsCaughtAtTheNextRead() throws Exception {
    Hostile h = new Hostile();
    try (Volume v = Volume.open(vol, key, VolumeConfig.builder().hostCalls(h).build())) {
      write(v, "g", new byte[100_000], 0);
      v.sync();
      h.lie = Lie.PUNCHES_EVERYTHING;
      byte[] again = new byte[100_000];
      new SplittableRandom(4).nextBytes(again);
      write(v, "g", again, 0); // the old slots are garbage: punched at the sync
      v.sync();
      h.lie = Lie.NONE;
      IntegrityViolationException e =
          assertThrows(IntegrityViolationException.class, () -> read(v, "g"));
      assertTrue(e.getMessage().contains("chunk"), e.getMessage());
    }
  }
}
