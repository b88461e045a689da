package io.sconej.fileshield;

import static io.sconej.fileshield.VolumeRoundTripTest.read;
import static io.sconej.fileshield.VolumeRoundTripTest.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sconej.crypto.SecretBytes;
import io.sconej.hostcalls.CheckedHostCalls;
import io.sconej.hostcalls.HostCallConfig;
import io.sconej.hostcalls.HostCallsFactory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writer per volume: a read-write open takes the host's lock on {@code writer.lock}; a second
 * read-write open fails fast with one line naming the volume, whether the first writer is this
 * JVM, another JVM, or behind asynchronous host calls. Read-only opens take no lock.
 */
class WriterLockTest {
  @TempDir Path tmp;
  final SecretBytes key = SecretBytes.random(32);
  final byte[] data = "one writer".getBytes(StandardCharsets.UTF_8);

  Path volume() throws Exception {
    Path dir = tmp.resolve("vol");
    try (Volume v = Volume.create(dir, key, VolumeConfig.builder().build())) {
      write(v, "f", data, 0);
    }
    return dir;
  }

  static VolumeConfig readOnly() {
    return VolumeConfig.builder().readOnly(true).build();
  }

  static void assertInUse(Path dir, VolumeInUseException e) {
    Path abs = dir.toAbsolutePath().normalize();
    assertEquals("volume " + abs + " is in use: another process has it open read-write (its lock "
        + abs.resolve(Volume.LOCK_FILE) + " is held); a volume has one writer at a time",
        e.getMessage());
  }

  @Test
  void aSecondWriterInTheSameJvmIsRefusedUntilTheFirstCloses() throws Exception {
    Path dir = volume();
    try (Volume first = Volume.open(dir, key, VolumeConfig.builder().build())) {
      assertInUse(dir, assertThrows(VolumeInUseException.class,
          () -> Volume.open(dir, key, VolumeConfig.builder().build())));
      write(first, "g", data, 0); // the first writer is unaffected
    }
    try (Volume again = Volume.open(dir, key, VolumeConfig.builder().build())) {
      assertArrayEquals(data, read(again, "g"));
    }
  }

  @Test
  void aCreatedVolumeHoldsTheLockUntilClosed() throws Exception {
    Path dir = tmp.resolve("fresh");
    try (Volume created = Volume.create(dir, key, VolumeConfig.builder().build())) {
      assertThrows(VolumeInUseException.class,
          () -> Volume.open(dir, key, VolumeConfig.builder().build()));
    }
    Volume.open(dir, key, VolumeConfig.builder().build()).close();
  }

  @Test
  void readOnlyOpensShareWithEachOtherAndWithTheWriter() throws Exception {
    Path dir = volume();
    try (Volume writer = Volume.open(dir, key, VolumeConfig.builder().build());
        Volume r1 = Volume.open(dir, key, readOnly());
        Volume r2 = Volume.open(dir, key, readOnly())) {
      assertArrayEquals(data, read(r1, "f"));
      assertArrayEquals(data, read(r2, "f"));
    }
  }

  @Test
  void aFailedOpenReleasesTheLock() throws Exception {
    Path dir = volume();
    assertThrows(WrongKeyException.class,
        () -> Volume.open(dir, SecretBytes.random(32), VolumeConfig.builder().build()));
    Volume.open(dir, key, VolumeConfig.builder().build()).close();
  }

  @Test
  void aWriterInAnotherJvmIsSeenThroughSyncAndAsyncHostCalls() throws Exception {
    Path dir = volume();
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process holder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp,
        LockHolder.class.getName(), dir.resolve(Volume.LOCK_FILE).toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      var out = new BufferedReader(
          new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("locked", out.readLine());
      assertInUse(dir, assertThrows(VolumeInUseException.class,
          () -> Volume.open(dir, key, VolumeConfig.builder().build())));
      for (String mode : List.of("sync", "async")) {
        try (CheckedHostCalls host = HostCallsFactory.create(
            HostCallConfig.fromMap(Map.of(HostCallConfig.PREFIX + "mode", mode)))) {
          assertInUse(dir, assertThrows(VolumeInUseException.class,
              () -> Volume.open(dir, key, VolumeConfig.builder().hostCalls(host).build())));
          try (Volume r = Volume.open(dir, key,
              VolumeConfig.builder().readOnly(true).hostCalls(host).build())) {
            assertArrayEquals(data, read(r, "f"));
          }
        }
      }
    } finally {
      holder.getOutputStream().close();
      holder.waitFor(60, TimeUnit.SECONDS);
      holder.destroyForcibly();
    }
    try (Volume v = Volume.open(dir, key, VolumeConfig.builder().build())) {
      assertArrayEquals(data, read(v, "f"));
    }
  }

  @Test
  void aHostThatDeletesTheLockFileLetsASecondWriterIn() throws Exception {
    // Why the CAS checks each commit's predecessor: the lock only stops an honest mistake.
    Path dir = volume();
    try (Volume first = Volume.open(dir, key, VolumeConfig.builder().build())) {
      Files.delete(dir.resolve(Volume.LOCK_FILE));
      Volume.open(dir, key, VolumeConfig.builder().build()).close();
    }
  }
}
