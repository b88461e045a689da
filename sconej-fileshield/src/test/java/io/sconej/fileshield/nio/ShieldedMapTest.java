package io.sconej.fileshield.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.crypto.Hex;
import io.sconej.crypto.InsecureSecretAccess;
import io.sconej.crypto.SecretBytes;
import io.sconej.fileshield.IntegrityViolationException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.URI;
import java.nio.MappedByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileChannel.MapMode;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory-mapping a shielded file: {@code READ_ONLY} and {@code PRIVATE} in both APIs, with any
 * arena (also one that supports only {@code scope()} and {@code close()}, as Lucene's), as a
 * verified copy in enclave memory; {@code READ_WRITE} refused naming the file.
 */
class ShieldedMapTest {
  static final int SIZE = 3 * 4096 + 123;
  @TempDir Path tmp;
  final String keyHex = Hex.encode(SecretBytes.random(32).bytes(InsecureSecretAccess.get()));
  final byte[] data = new byte[SIZE];

  /** An arena like Lucene's RefCountedSharedArena: scope() and close(), allocate refused. */
  static final class ScopeOnlyArena implements Arena {
    private final Arena inner = Arena.ofShared();

    @Override
    public MemorySegment allocate(long byteSize, long byteAlignment) {
      throw new UnsupportedOperationException();
    }

    @Override
    public MemorySegment.Scope scope() {
      return inner.scope();
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  static Stream<Arguments> arenas() {
    return Stream.of(
        Arguments.of("confined", (Supplier<Arena>) Arena::ofConfined),
        Arguments.of("shared", (Supplier<Arena>) Arena::ofShared),
        Arguments.of("scope-only", (Supplier<Arena>) ScopeOnlyArena::new));
  }

  FileSystem volume() throws IOException {
    return FileSystems.newFileSystem(
        URI.create("sconej:" + tmp.resolve("vol")), Map.of("key", keyHex, "create", true));
  }

  Path written(FileSystem fs) throws IOException {
    new SplittableRandom(5).nextBytes(data);
    return Files.write(fs.getPath("/m.bin"), data);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("arenas")
  void segmentsWorkWithAnyArenaAndDieWithIt(String name, Supplier<Arena> arenas)
      throws IOException {
    try (FileSystem fs = volume()) {
      Path f = written(fs);
      MemorySegment ro;
      MemorySegment priv;
      try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE);
          Arena arena = arenas.get()) {
        ro = ch.map(MapMode.READ_ONLY, 100, SIZE - 100, arena);
        assertTrue(ro.isReadOnly());
        assertTrue(ro.isNative());
        assertTrue(ro.isMapped(), "load() must work, as on a real mapping (Lucene preloads)");
        ro.load();
        assertTrue(ro.isLoaded());
        assertEquals(0, ro.address() % 4096, "page-aligned, as a real mapping");
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 100, SIZE),
            ro.toArray(ValueLayout.JAVA_BYTE));
        assertThrows(IllegalArgumentException.class, // "Attempt to write a read-only segment"
            () -> ro.set(ValueLayout.JAVA_BYTE, 0, (byte) 1));
        priv = ch.map(MapMode.PRIVATE, 0, SIZE + 50, arena);
        assertFalse(priv.isReadOnly());
        assertEquals(0, priv.get(ValueLayout.JAVA_BYTE, SIZE + 49), "zeros past the end");
        priv.set(ValueLayout.JAVA_BYTE, 0, (byte) ~data[0]);
        assertArrayEquals(data, Files.readAllBytes(f), "private changes never reach the file");
        assertFalse(hostMappingsMention(tmp.resolve("vol")), "no host file may be mapped");
      }
      assertFalse(ro.scope().isAlive());
      assertThrows(IllegalStateException.class, () -> ro.get(ValueLayout.JAVA_BYTE, 0));
      assertThrows(IllegalStateException.class, () -> priv.get(ValueLayout.JAVA_BYTE, 0));
    }
  }

  @Test
  void buffersAreDirectCopiesReadOnlyOrPrivate() throws IOException {
    try (FileSystem fs = volume()) {
      Path f = written(fs);
      try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ,
          StandardOpenOption.WRITE)) {
        MappedByteBuffer ro = ch.map(MapMode.READ_ONLY, 4096, 8192);
        assertTrue(ro.isDirect());
        assertTrue(ro.isReadOnly());
        assertEquals(8192, ro.remaining());
        byte[] got = new byte[8192];
        ro.get(got);
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 4096, 4096 + 8192), got);
        assertThrows(ReadOnlyBufferException.class, () -> ro.put(0, (byte) 1));
        ro.load();
        assertTrue(ro.isLoaded());
        MappedByteBuffer priv = ch.map(MapMode.PRIVATE, 0, SIZE);
        assertInstanceOf(MappedByteBuffer.class, priv.slice(10, 10));
        priv.put(0, (byte) ~data[0]);
        priv.force();
        assertArrayEquals(data, Files.readAllBytes(f), "private changes never reach the file");
        assertFalse(hostMappingsMention(tmp.resolve("vol")), "no host file may be mapped");
      }
    }
  }

  @Test
  void readWriteIsRefusedNamingTheFileAndPrivateNeedsAWritableChannel() throws IOException {
    try (FileSystem fs = volume()) {
      Path f = written(fs);
      try (FileChannel rw = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE);
          FileChannel r = FileChannel.open(f, StandardOpenOption.READ);
          Arena arena = Arena.ofConfined()) {
        for (var attempt : java.util.List.<org.junit.jupiter.api.function.Executable>of(
            () -> rw.map(MapMode.READ_WRITE, 0, 10),
            () -> rw.map(MapMode.READ_WRITE, 0, 10, arena))) {
          UnsupportedOperationException e =
              assertThrows(UnsupportedOperationException.class, attempt);
          assertTrue(e.getMessage().contains("/m.bin"), e.getMessage());
          assertTrue(e.getMessage().contains("could not reach the file"), e.getMessage());
        }
        assertThrows(NonWritableChannelException.class, () -> r.map(MapMode.PRIVATE, 0, 10));
        assertThrows(NonWritableChannelException.class,
            () -> r.map(MapMode.PRIVATE, 0, 10, arena));
        assertThrows(IllegalArgumentException.class, () -> r.map(MapMode.READ_ONLY, -1, 10));
        assertEquals(10, r.map(MapMode.READ_ONLY, 0, 10).remaining());
      }
    }
  }

  @Test
  void aTamperedChunkFailsTheMapInBothApis() throws IOException {
    Path hostFile;
    try (FileSystem fs = volume()) {
      Path f = written(fs);
      String id = (String) Files.readAttributes(f, "fileKey").get("fileKey");
      hostFile = tmp.resolve("vol/data").resolve(id.substring(0, 2)).resolve(id);
    }
    try (RandomAccessFile raf = new RandomAccessFile(hostFile.toFile(), "rw")) {
      for (long off = 7; off < raf.length(); off += 4096) {
        raf.seek(off);
        int b = raf.read();
        raf.seek(off);
        raf.write(b ^ 0x10);
      }
    }
    try (FileSystem fs = volume();
        FileChannel ch = FileChannel.open(fs.getPath("/m.bin"), StandardOpenOption.READ);
        Arena arena = new ScopeOnlyArena()) {
      assertThrows(IntegrityViolationException.class,
          () -> ch.map(MapMode.READ_ONLY, 0, SIZE, arena));
      assertThrows(IntegrityViolationException.class, () -> ch.map(MapMode.READ_ONLY, 0, SIZE));
    }
  }

  /** True if this process maps any file under {@code dir} (/proc/self/maps). */
  static boolean hostMappingsMention(Path dir) throws IOException {
    return Files.readString(Path.of("/proc/self/maps")).contains(dir.toString());
  }

}
