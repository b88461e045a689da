package io.sconej.fileshield.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.crypto.Hex;
import io.sconej.crypto.SecretBytes;
import io.sconej.fileshield.IntegrityViolationException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SconejFileSystemTest {
  static final String MARKER = "PLAINTEXT-MARKER-7c1e9a";
  @TempDir Path tmp;
  final String keyHex =
      Hex.encode(SecretBytes.random(32).bytes(io.sconej.crypto.InsecureSecretAccess.get()));

  FileSystem open(Path vol, boolean create) throws IOException {
    return FileSystems.newFileSystem(
        URI.create("sconej:" + vol), Map.of("key", keyHex, "create", create));
  }

  static boolean hostContains(Path dir, String marker) throws IOException {
    byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String hay = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
        if (hay.contains(new String(needle, StandardCharsets.ISO_8859_1))) {
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void filesApiRoundTripsAndHostHoldsOnlyCiphertext() throws IOException {
    Path vol = tmp.resolve("vol");
    try (FileSystem fs = open(vol, true)) {
      assertInstanceOf(SconejFileSystem.class, fs);
      Path dir = Files.createDirectories(fs.getPath("/a/b"));
      Path f = dir.resolve("hello.txt");
      Files.writeString(f, MARKER + " one");
      assertEquals(MARKER + " one", Files.readString(f));
      try (BufferedWriter w = Files.newBufferedWriter(fs.getPath("/a/lines.txt"))) {
        for (int i = 0; i < 1000; i++) {
          w.write(MARKER + " line " + i + "\n");
        }
      }
      try (Stream<String> lines = Files.lines(fs.getPath("/a/lines.txt"))) {
        assertEquals(1000, lines.count());
      }
      try (Stream<Path> l = Files.list(fs.getPath("/a"))) {
        assertEquals(List.of("/a/b", "/a/lines.txt"), l.map(Path::toString).sorted().toList());
      }
      try (Stream<Path> w = Files.walk(fs.getPath("/"))) {
        assertEquals(5, w.count()); // /, /a, /a/b, /a/b/hello.txt, /a/lines.txt
      }
      Files.copy(f, fs.getPath("/copy.txt"));
      assertThrows(FileAlreadyExistsException.class, () -> Files.copy(f, fs.getPath("/copy.txt")));
      Files.copy(f, fs.getPath("/copy.txt"), StandardCopyOption.REPLACE_EXISTING);
      Files.move(
          fs.getPath("/copy.txt"), fs.getPath("/a/moved.txt"), StandardCopyOption.ATOMIC_MOVE);
      assertFalse(Files.exists(fs.getPath("/copy.txt")));
      assertEquals(MARKER + " one", Files.readString(fs.getPath("/a/moved.txt")));
      assertThrows(DirectoryNotEmptyException.class, () -> Files.delete(fs.getPath("/a")));
      Files.delete(fs.getPath("/a/moved.txt"));
      assertThrows(NoSuchFileException.class, () -> Files.delete(fs.getPath("/a/moved.txt")));
      assertTrue(Files.isSameFile(f, fs.getPath("/a/./b/../b/hello.txt")));
      assertTrue(Files.isHidden(fs.getPath("/.secret")));
    }
    assertFalse(hostContains(vol, MARKER), "plaintext marker found in the volume's host files");
    try (FileSystem fs = open(vol, false)) {
      assertEquals(MARKER + " one", Files.readString(fs.getPath("/a/b/hello.txt")));
      try (Stream<String> lines = Files.lines(fs.getPath("a/lines.txt"))) {
        assertEquals(MARKER + " line 999", lines.reduce((x, y) -> y).orElseThrow());
      }
    }
  }

  @Test
  void attributesBasicOnlyAndTimesSettable() throws IOException {
    try (FileSystem fs = open(tmp.resolve("vol"), true)) {
      Path f = Files.write(fs.getPath("/f.bin"), new byte[1234]);
      BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
      assertEquals(1234, a.size());
      assertTrue(a.isRegularFile());
      assertFalse(a.isDirectory());
      Map<String, Object> m = Files.readAttributes(f, "basic:*");
      assertEquals(1234L, m.get("size"));
      assertEquals(Map.of("isDirectory", false), Files.readAttributes(f, "isDirectory"));
      FileTime t = FileTime.fromMillis(1_600_000_000_000L);
      Files.setLastModifiedTime(f, t);
      assertEquals(t, Files.getLastModifiedTime(f));
      Files.setAttribute(f, "basic:lastModifiedTime", FileTime.fromMillis(1_700_000_000_000L));
      assertEquals(1_700_000_000_000L, Files.getLastModifiedTime(f).toMillis());
      assertThrows(
          UnsupportedOperationException.class,
          () -> Files.readAttributes(f, PosixFileAttributes.class));
      assertThrows(UnsupportedOperationException.class, () -> Files.readAttributes(f, "posix:*"));
      assertEquals(1234, Files.size(f));
      assertTrue(Files.getFileStore(f).type().startsWith("sconej-"));
      assertTrue(Files.isReadable(f));
      assertFalse(Files.isExecutable(f));
    }
  }

  @Test
  void fileChannelRandomAccessTruncateAndDirectoryForce() throws IOException {
    try (FileSystem fs = open(tmp.resolve("vol"), true)) {
      Path f = fs.getPath("/r.bin");
      try (FileChannel ch =
          FileChannel.open(
              f,
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap("0123456789".getBytes(StandardCharsets.US_ASCII)), 100_000);
        assertEquals(100_010, ch.size());
        ByteBuffer b = ByteBuffer.allocate(4);
        ch.position(100_003);
        assertEquals(4, ch.read(b));
        assertEquals("3456", new String(b.array(), StandardCharsets.US_ASCII));
        assertEquals(100_007, ch.position());
        ByteBuffer zero = ByteBuffer.allocate(8);
        ch.read(zero, 50);
        assertArrayEquals(new byte[8], zero.array());
        ch.truncate(100_005);
        assertEquals(100_005, ch.size());
        assertEquals(100_005, ch.position());
        ch.force(true);
      }
      try (FileChannel app = FileChannel.open(f, StandardOpenOption.APPEND)) {
        app.write(ByteBuffer.wrap(new byte[] {'x'}));
      }
      assertEquals(100_006, Files.size(f));
      try (FileChannel dir = FileChannel.open(fs.getPath("/"), StandardOpenOption.READ)) {
        dir.force(true); // the fsync-a-directory idiom commits the volume
        assertThrows(IOException.class, () -> dir.read(ByteBuffer.allocate(1)));
      }
    }
  }

  @Test
  void locksAreInProcessAndReleasedOnClose() throws IOException {
    try (FileSystem fs = open(tmp.resolve("vol"), true)) {
      Path f = fs.getPath("/write.lock");
      try (FileChannel a =
              FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileChannel b = FileChannel.open(f, StandardOpenOption.WRITE)) {
        FileLock l = a.tryLock();
        assertTrue(l.isValid());
        assertThrows(OverlappingFileLockException.class, b::tryLock);
        l.release();
        b.tryLock().release();
        a.lock();
      }
      try (FileChannel c = FileChannel.open(f, StandardOpenOption.WRITE)) {
        c.tryLock().release(); // a's lock went away with a
      }
    }
  }

  @Test
  void tamperedHostFileFailsReadWithIntegrityViolation() throws IOException {
    Path vol = tmp.resolve("vol");
    try (FileSystem fs = open(vol, true)) {
      Files.writeString(fs.getPath("/data.bin"), MARKER.repeat(1000));
    }
    Path victim;
    try (Stream<Path> s = Files.walk(vol.resolve("data"))) {
      victim =
          s.filter(Files::isRegularFile)
              .max(java.util.Comparator.comparingLong(p -> p.toFile().length()))
              .orElseThrow();
    }
    byte[] raw = Files.readAllBytes(victim);
    int i = raw.length / 2;
    while (raw[i] == 0) {
      i = (i + 1) % raw.length; // skip holes of unused chunk slots
    }
    raw[i] ^= 1;
    Files.write(victim, raw);
    try (FileSystem fs = open(vol, false)) {
      IOException e =
          assertThrows(IOException.class, () -> Files.readAllBytes(fs.getPath("/data.bin")));
      assertInstanceOf(IntegrityViolationException.class, e);
      assertTrue(e.getMessage().contains("data.bin"), e.getMessage());
    }
  }

  @Test
  void providerRegistryUrisAndRefusals() throws IOException {
    Path vol = tmp.resolve("vol");
    try (FileSystem fs = open(vol, true)) {
      assertThrows(FileSystemAlreadyExistsException.class, () -> open(vol, false));
      Path p = fs.getPath("/x/y.txt");
      URI u = p.toUri();
      assertEquals("sconej", u.getScheme());
      assertEquals(p, Path.of(u));
      assertEquals(fs, FileSystems.getFileSystem(URI.create("sconej:" + vol)));
      assertThrows(UnsupportedOperationException.class, p::toFile);
      assertThrows(UnsupportedOperationException.class, fs::newWatchService);
      assertEquals(fs.getPath("/a/b/c"), fs.getPath("/a/x/../b/./c").normalize());
      assertEquals(fs.getPath("../c/d"), fs.getPath("/a/b").relativize(fs.getPath("/a/c/d")));
      assertTrue(fs.getPathMatcher("glob:**/*.txt").matches(p));
      assertThrows(
          AtomicMoveNotSupportedException.class,
          () -> Files.move(fs.getPath("/"), fs.getPath("/z"), StandardCopyOption.ATOMIC_MOVE));
    }
    assertThrows(NoSuchFileException.class, () -> open(tmp.resolve("missing"), false));
    try (FileSystem fs =
        FileSystems.newFileSystem(
            URI.create("sconej:" + vol), Map.of("key", keyHex, "readOnly", true))) {
      assertThrows(
          java.nio.file.ReadOnlyFileSystemException.class,
          () -> Files.writeString(fs.getPath("/w"), "no"));
    }
    String wrongKey = Hex.encode(new byte[32]);
    assertThrows(
        IOException.class,
        () -> FileSystems.newFileSystem(URI.create("sconej:" + vol), Map.of("key", wrongKey)));
  }
}
