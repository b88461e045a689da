package io.sconej.fileshield;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sconej.crypto.SecretBytes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommitListenerTest {
  @TempDir Path tmp;

  @Test
  void announcesTheNextTagBeforeItIsDurableAndConfirmsAfter() throws Exception {
    List<String> events = new ArrayList<>();
    CommitListener l = new CommitListener() {
      @Override
      public void beforeCommit(VolumeTag previous, VolumeTag next) {
        events.add("pending " + next.hex());
      }

      @Override
      public void afterCommit(VolumeTag tag) {
        events.add("committed " + tag.hex());
      }
    };
    SecretBytes key = SecretBytes.random(32);
    VolumeTag t;
    try (Volume v = Volume.create(tmp.resolve("v"), key,
        VolumeConfig.builder().commitListener(l).build())) {
      try (VolumeFile f = v.open("x", Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE))) {
        f.write(ByteBuffer.wrap(new byte[10]), 0);
      }
      t = v.sync();
    }
    assertEquals(List.of("pending " + t.hex(), "committed " + t.hex()), events);
  }

  @Test
  void aRefusedAnnouncementAbortsTheCommitAndTheVolumeFailsClosed() throws Exception {
    SecretBytes key = SecretBytes.random(32);
    CommitListener refuse = new CommitListener() {
      @Override
      public void beforeCommit(VolumeTag previous, VolumeTag next) throws IOException {
        throw new IOException("CAS unreachable");
      }

      @Override
      public void afterCommit(VolumeTag tag) {}
    };
    Path dir = tmp.resolve("v");
    VolumeTag before;
    try (Volume v = Volume.create(dir, key, VolumeConfig.defaults())) {
      before = v.tag();
    }
    Volume v = Volume.open(dir, key, VolumeConfig.builder().commitListener(refuse).build());
    v.createDirectory("d");
    assertThrows(IOException.class, v::sync);
    assertThrows(IOException.class, () -> v.stat("d")); // fails closed
    v.close(); // commits nothing; releases the writer lock
    try (Volume again = Volume.open(dir, key, VolumeConfig.defaults())) {
      assertEquals(before, again.tag()); // nothing of the refused commit reached the disk
    }
  }
}
