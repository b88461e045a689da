package io.sconej.fileshield;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sconej.crypto.SecretBytes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many files written before one commit: the volume must not hold a descriptor per file. */
class ManyFilesTest {
  @TempDir Path tmp;

  static long openFds() throws Exception {
    try (var s = Files.list(Path.of("/proc/self/fd"))) {
      return s.count();
    }
  }

  @Test
  void writtenButUncommittedFilesHoldNoDescriptors() throws Exception {
    SecretBytes key = SecretBytes.random(32);
    Path dir = tmp.resolve("v");
    int n = 3000;
    try (Volume v = Volume.create(dir, key, VolumeConfig.defaults())) {
      long before = openFds();
      for (int i = 0; i < n; i++) {
        try (VolumeFile f = v.open("f" + i, Set.of(StandardOpenOption.WRITE,
            StandardOpenOption.CREATE))) {
          f.write(ByteBuffer.wrap(("file " + i).getBytes(StandardCharsets.UTF_8)), 0);
        }
      }
      assertEquals(before, openFds(), "descriptors leaked per uncommitted file");
      v.sync();
    }
    try (Volume v = Volume.open(dir, key, VolumeConfig.defaults())) {
      assertEquals(n, v.list("").size());
      assertArrayEquals("file 2999".getBytes(StandardCharsets.UTF_8),
          VolumeRoundTripTest.read(v, "f2999"));
      v.verify();
    }
  }
}
