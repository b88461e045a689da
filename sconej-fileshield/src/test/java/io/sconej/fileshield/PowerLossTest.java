package io.sconej.fileshield;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.crypto.SecretBytes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power loss during synchronous small appends (issue 11 item 6): a log appended with DSYNC
 * (every write is a commit, most of them carried inline in the journal without an fsync of the
 * data file) and a blob rewritten with large and small DSYNC writes, until the power fails at a
 * random host call; everything not fsynced is then lost ({@link PowerLossHostCalls}). The volume
 * must reopen at exactly the last acknowledged write or the one in flight, never torn, pass
 * {@code verify()}, and survive the next round. Enough rounds to cross checkpoints; 60 rounds
 * with {@code -Plong}.
 */
class PowerLossTest {
  static final Set<StandardOpenOption> DSYNC = Set.of(StandardOpenOption.WRITE,
      StandardOpenOption.CREATE, StandardOpenOption.DSYNC);
  static final int BLOB = 256 * 1024;
  final SecretBytes key = SecretBytes.random(32);

  /** What the writer acknowledged and what it had in flight when the power failed. */
  static final class Model {
    final ByteArrayOutputStream log = new ByteArrayOutputStream();
    byte[] blob = new byte[0];
    byte[] pendingRecord;
    byte[] pendingBlob;
    int acks;
  }

  @Test
  void appendsSurvivePowerLossAtAnyCall(@TempDir Path dir) throws Exception {
    run(dir, 12, 0x5EEDL);
  }

  @Test
  @Tag("long")
  void appendsSurviveSixtyPowerLosses(@TempDir Path dir) throws Exception {
    run(dir, 60, System.nanoTime());
  }

  private void run(Path dir, int rounds, long seed) throws Exception {
    Path vol = dir.resolve("vol");
    Volume.create(vol, key, VolumeConfig.defaults()).close();
    SplittableRandom random = new SplittableRandom(seed);
    Model m = new Model();
    int checkpoints = 0;
    for (int round = 0; round < rounds; round++) {
      PowerLossHostCalls host = new PowerLossHostCalls(random.nextLong());
      Volume v = Volume.open(vol, key, VolumeConfig.builder().hostCalls(host).build());
      String before = checkpointName(vol);
      host.dieAfter(200 + random.nextInt(4000));
      try {
        writeUntilDeath(v, m, random);
      } catch (IOException expected) {
        // the power failed
      }
      host.powerLoss();
      if (!checkpointName(vol).equals(before)) {
        checkpoints++;
      }
      try (Volume r = Volume.open(vol, key, VolumeConfig.defaults())) {
        r.verify();
        check(r, m, round + " (seed " + seed + ")");
      }
    }
    System.out.printf("power loss: %d acknowledged writes, %d checkpoints crossed%n", m.acks,
        checkpoints);
    assertTrue(m.acks > 100, "too few acknowledged writes to mean anything: " + m.acks);
    assertTrue(checkpoints > 0, "no round crossed a checkpoint");
  }

  private static String checkpointName(Path vol) throws IOException {
    try (var s = java.nio.file.Files.list(vol)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("chk-")).sorted()
          .reduce("", (a, b) -> b);
    }
  }

  /** Appends records and rewrites the blob until a host call fails. */
  private static void writeUntilDeath(Volume v, Model m, SplittableRandom random)
      throws IOException {
    try (VolumeFile log = v.open("log", DSYNC); VolumeFile blob = v.open("blob", DSYNC)) {
      while (true) {
        if (random.nextInt(4) == 0) {
          int len = random.nextInt(4) == 0 ? 70_000 : 1 + random.nextInt(60_000);
          int off = random.nextInt(BLOB - len);
          byte[] data = new byte[len];
          random.nextBytes(data);
          byte[] next = Arrays.copyOf(m.blob, Math.max(m.blob.length, off + len));
          System.arraycopy(data, 0, next, off, len);
          m.pendingBlob = next;
          blob.write(ByteBuffer.wrap(data), off);
          m.blob = next;
          m.pendingBlob = null;
        } else {
          byte[] rec = new byte[100 + random.nextInt(101)];
          random.nextBytes(rec);
          m.pendingRecord = rec;
          log.write(ByteBuffer.wrap(rec), log.size());
          m.log.writeBytes(rec);
          m.pendingRecord = null;
        }
        m.acks++;
      }
    }
  }

  /** The recovered state is the acknowledged one, or that plus the write in flight. */
  private static void check(Volume r, Model m, String round) throws Exception {
    byte[] log = VolumeRoundTripTest.read(r, "log");
    byte[] acked = m.log.toByteArray();
    if (m.pendingRecord != null && log.length == acked.length + m.pendingRecord.length) {
      m.log.writeBytes(m.pendingRecord); // the write in flight was committed
      acked = m.log.toByteArray();
    }
    m.pendingRecord = null;
    assertArrayEquals(acked, log, "round " + round + ": log of " + log.length + " bytes, "
        + acked.length + " acknowledged");
    if (r.stat("blob").isEmpty()) {
      assertTrue(m.blob.length == 0, "round " + round + ": blob lost");
      return;
    }
    byte[] blob = VolumeRoundTripTest.read(r, "blob");
    if (m.pendingBlob != null && Arrays.equals(blob, m.pendingBlob)) {
      m.blob = m.pendingBlob;
    }
    m.pendingBlob = null;
    assertArrayEquals(m.blob, blob, "round " + round + ": blob is not the acknowledged one");
  }
}
