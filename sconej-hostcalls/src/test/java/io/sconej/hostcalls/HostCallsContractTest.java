package io.sconej.hostcalls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Both modes, through the factory, behave alike on real files (async with tiny slots). */
class HostCallsContractTest {
  @TempDir Path dir;

  private static CheckedHostCalls hostCalls(String mode) {
    return HostCallsFactory.create(
        HostCallConfig.fromMap(
            Map.of(
                "sconej.hostcalls.mode", mode,
                "sconej.hostcalls.slotBytes", "256",
                "sconej.hostcalls.slots", "4",
                "sconej.hostcalls.timeoutMillis", "10000")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"sync", "async"})
  void aLockIsHeldWhileItsHandleIsOpen(String mode) throws Exception {
    try (CheckedHostCalls h = hostCalls(mode)) {
      String f = dir.resolve("writer.lock").toString();
      long held = h.open(f, HostCalls.WRITE | HostCalls.CREATE | HostCalls.LOCK);
      HostLockedException e = assertThrows(HostLockedException.class,
          () -> h.open(f, HostCalls.WRITE | HostCalls.CREATE | HostCalls.LOCK));
      assertEquals(f, e.getFile());
      long plain = h.open(f, HostCalls.WRITE); // without LOCK: not affected
      h.close(plain);
      h.close(held);
      h.close(h.open(f, HostCalls.WRITE | HostCalls.LOCK));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sync", "async"})
  void filesAndDirectories(String mode) throws Exception {
    try (CheckedHostCalls h = hostCalls(mode)) {
      String f = dir.resolve("a.bin").toString();
      long fd = h.open(f, HostCalls.READ | HostCalls.WRITE | HostCalls.CREATE_NEW);
      byte[] data = new byte[10_000]; // 40 slot buffers: split into many requests
      new SecureRandom().nextBytes(data);
      h.writeFully(fd, ByteBuffer.wrap(data), 100);
      assertEquals(10_100, h.size(fd));
      ByteBuffer back = ByteBuffer.allocateDirect(10_000);
      h.readFully(fd, back, 100, "a.bin");
      byte[] got = new byte[10_000];
      back.flip().get(got);
      assertArrayEquals(data, got);
      ByteBuffer tail = ByteBuffer.allocate(500);
      assertEquals(100, h.pread(fd, tail, 10_000));
      assertEquals(-1, h.pread(fd, ByteBuffer.allocate(10), 20_000));
      h.truncate(fd, 50);
      h.fsync(fd, true);
      assertEquals(50, h.size(fd));
      h.close(fd);

      HostStat s = h.stat(f);
      assertTrue(s.exists());
      assertFalse(s.directory());
      assertEquals(50, s.sizeBytes());
      assertEquals(HostStat.MISSING, h.stat(dir.resolve("nope").toString()));
      assertThrows(
          FileAlreadyExistsException.class, () -> h.open(f, HostCalls.WRITE | HostCalls.CREATE_NEW));
      assertThrows(NoSuchFileException.class, () -> h.open(f + ".x", HostCalls.READ));

      String sub = dir.resolve("sub").toString();
      h.mkdir(sub);
      assertTrue(h.stat(sub).directory());
      for (int i = 0; i < 60; i++) { // 60 names of ~12 bytes: several listing pages of 256 bytes
        Files.writeString(dir.resolve("sub").resolve("name-" + i), "x");
      }
      Set<String> names = Set.copyOf(h.list(sub));
      assertEquals(
          java.util.stream.IntStream.range(0, 60).mapToObj(i -> "name-" + i).collect(Collectors.toSet()),
          names);
      h.rename(f, sub + "/renamed");
      assertTrue(Files.exists(dir.resolve("sub/renamed")));
      h.fsyncDir(sub);
      h.delete(sub + "/renamed");
      assertEquals(List.of(), List.copyOf(h.list(dir.toString())).stream().filter(n -> n.equals("a.bin")).toList());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sync", "async"})
  void punchHoleGivesBlocksBackAndKeepsTheSize(String mode) throws Exception {
    try (CheckedHostCalls h = hostCalls(mode)) {
      String f = dir.resolve("holes.bin").toString();
      long fd = h.open(f, HostCalls.READ | HostCalls.WRITE | HostCalls.CREATE_NEW);
      byte[] data = new byte[1 << 20];
      new SecureRandom().nextBytes(data);
      h.writeFully(fd, ByteBuffer.wrap(data), 0);
      h.fsync(fd, false);
      long before = allocatedBytes(dir.resolve("holes.bin"));
      assertTrue(h.punchHole(fd, 0, 768 * 1024), "ext4/xfs/tmpfs punch holes");
      h.fsync(fd, false);
      long after = allocatedBytes(dir.resolve("holes.bin"));
      assertEquals(1 << 20, h.size(fd));
      assertTrue(before >= 1 << 20 && after <= 300 * 1024, before + " -> " + after);
      ByteBuffer b = ByteBuffer.allocate(4096);
      h.readFully(fd, b, 4096, "holes.bin");
      assertArrayEquals(new byte[4096], b.array());
      h.close(fd);
      long ro = h.open(f, HostCalls.READ);
      assertThrows(java.io.IOException.class, () -> h.punchHole(ro, 0, 4096));
      h.close(ro);
    }
  }

  /** Allocated bytes of a file ({@code st_blocks} times 512), which the JDK does not expose. */
  static long allocatedBytes(Path p) throws Exception {
    Process pr = new ProcessBuilder("stat", "-c", "%b %B", p.toString()).start();
    String[] out = new String(pr.getInputStream().readAllBytes()).trim().split(" ");
    assertEquals(0, pr.waitFor());
    return Long.parseLong(out[0]) * Long.parseLong(out[1]);
  }

  @org.junit.jupiter.api.Test
  void pathLongerThanSlotIsRefusedClearly() throws Exception {
    try (CheckedHostCalls h = hostCalls("async")) {
      String longPath = dir.resolve("x".repeat(250)).toString();
      Exception e = assertThrows(java.io.IOException.class, () -> h.stat(longPath));
      assertTrue(e.getMessage().contains("does not fit a slot buffer"), e.getMessage());
    }
  }

  @org.junit.jupiter.api.Test
  void asyncCountsTheRequestsItPostsOnePerChunk() throws Exception {
    try (CheckedHostCalls h = hostCalls("async")) {
      AsyncHostCalls a = (AsyncHostCalls) h.unchecked();
      assertEquals(0, a.requests());
      long fd = h.open(dir.resolve("c.bin").toString(), HostCalls.WRITE | HostCalls.CREATE_NEW);
      assertEquals(1, a.requests());
      h.writeFully(fd, ByteBuffer.wrap(new byte[1000]), 0); // 256-byte slots: 4 chunks
      h.close(fd);
      assertEquals(6, a.requests());
    }
  }
}
