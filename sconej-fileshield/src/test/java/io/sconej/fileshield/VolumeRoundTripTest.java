package io.sconej.fileshield;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.crypto.SecretBytes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VolumeRoundTripTest {
  static final Set<StandardOpenOption> RW =
      Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
  @TempDir Path tmp;
  final SecretBytes key = SecretBytes.random(32);

  static byte[] read(Volume v, String path) throws Exception {
    try (VolumeFile f = v.open(path, Set.of(StandardOpenOption.READ))) {
      ByteBuffer b = ByteBuffer.allocate((int) f.size());
      while (b.hasRemaining() && f.read(b, b.position()) > 0) {}
      return b.array();
    }
  }

  static void write(Volume v, String path, byte[] data, long pos) throws Exception {
    try (VolumeFile f = v.open(path, RW)) {
      f.write(ByteBuffer.wrap(data), pos);
    }
  }

  @ParameterizedTest
  @EnumSource(VolumeMode.class)
  void randomWritesMatchAModelAcrossReopen(VolumeMode mode) throws Exception {
    Path dir = tmp.resolve("vol");
    VolumeConfig cfg = VolumeConfig.builder().mode(mode).chunkSizeBytes(512).build();
    byte[] model = new byte[0];
    SplittableRandom rnd = new SplittableRandom(42);
    VolumeTag tag;
    try (Volume v = Volume.create(dir, key, cfg)) {
      v.createDirectory("d");
      for (int i = 0; i < 300; i++) {
        int len = rnd.nextInt(1, 3000);
        int pos = rnd.nextInt(0, model.length + 1500);
        byte[] data = new byte[len];
        rnd.nextBytes(data);
        write(v, "d/f", data, pos);
        if (pos + len > model.length) {
          model = java.util.Arrays.copyOf(model, pos + len);
        }
        System.arraycopy(data, 0, model, pos, len);
        if (i % 37 == 0) {
          int t = rnd.nextInt(0, model.length + 1);
          try (VolumeFile f = v.open("d/f", RW)) {
            f.truncate(t);
          }
          model = java.util.Arrays.copyOf(model, t);
        }
        if (i % 50 == 0) {
          v.sync();
        }
      }
      assertArrayEquals(model, read(v, "d/f"));
      tag = v.sync();
    }
    try (Volume v = Volume.open(dir, key, VolumeConfig.builder().expectedTags(Set.of(tag)).build())) {
      assertArrayEquals(model, read(v, "d/f"));
      v.verify();
      assertEquals(tag, v.tag());
    }
  }

  @Test
  void namespaceOperationsPersist() throws Exception {
    Path dir = tmp.resolve("vol");
    try (Volume v = Volume.create(dir, key, VolumeConfig.defaults())) {
      v.createDirectory("a");
      v.createDirectory("a/b");
      write(v, "a/b/x.txt", "hello".getBytes(StandardCharsets.UTF_8), 0);
      write(v, "a/y.txt", "world".getBytes(StandardCharsets.UTF_8), 0);
      v.rename("a/b", "c", false);
      v.delete("a/y.txt");
      v.sync();
      write(v, "sparse", new byte[] {1}, 10_000_000_000L);
    }
    try (Volume v = Volume.open(dir, key, VolumeConfig.defaults())) {
      assertEquals(java.util.List.of("a", "c", "sparse"), v.list(""));
      assertEquals(java.util.List.of(), v.list("a"));
      assertEquals("hello", new String(read(v, "c/x.txt"), StandardCharsets.UTF_8));
      assertEquals(10_000_000_001L, v.stat("sparse").orElseThrow().sizeBytes());
      try (VolumeFile f = v.open("sparse", Set.of(StandardOpenOption.READ))) {
        ByteBuffer b = ByteBuffer.allocate(4);
        f.read(b, 9_999_999_998L);
        assertArrayEquals(new byte[] {0, 0, 1, 0}, java.util.Arrays.copyOf(b.array(), 4));
      }
      assertThrows(NoSuchFileException.class, () -> v.open("a/y.txt", Set.of()));
      assertTrue(v.stat("c").orElseThrow().directory());
      assertFalse(v.stat("a/b").isPresent());
    }
  }

  @Test
  void tagChangesWithEveryCommitAndHostSeesNoPlaintext() throws Exception {
    Path dir = tmp.resolve("vol");
    byte[] marker = "PLAINTEXT-MARKER-1234567890".repeat(100).getBytes(StandardCharsets.UTF_8);
    try (Volume v = Volume.create(dir, key, VolumeConfig.defaults())) {
      VolumeTag t0 = v.tag();
      write(v, "secret-name.txt", marker, 0);
      VolumeTag t1 = v.sync();
      assertNotEquals(t0, t1);
      assertEquals(t1, v.sync());
    }
    try (var files = Files.walk(dir)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        String s = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
        assertFalse(s.contains("PLAINTEXT-MARKER"), p.toString());
        assertFalse(s.contains("secret-name"), p.toString());
      }
    }
  }
}
