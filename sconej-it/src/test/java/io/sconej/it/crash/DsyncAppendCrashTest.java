package io.sconej.it.crash;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.crypto.SecretBytes;
import io.sconej.fileshield.Volume;
import io.sconej.fileshield.VolumeConfig;
import io.sconej.fileshield.VolumeFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash during synchronous small appends (issue 11 item 6): a child JVM ({@link
 * DsyncAppendChild}) appends checksummed records with DSYNC writes and is killed with SIGKILL at
 * a random instant; the volume must then open, pass {@code verify()}, and hold exactly records
 * {@code 0..m-1} with every acknowledged record among them and at most one more (the write in
 * flight, whole), no torn or foreign bytes. 6 rounds here, 40 with {@code -Plong}.
 */
class DsyncAppendCrashTest {

  @Test
  void killsDuringDsyncAppendsKeepEveryAcknowledgedRecord(@TempDir Path dir) throws Exception {
    assertTrue(rounds(dir, 6, 0xD5C1L, false).isEmpty());
  }

  @Test
  @Tag("long")
  void fortyKillsDuringDsyncAppendsKeepEveryAcknowledgedRecord(@TempDir Path dir)
      throws Exception {
    assertTrue(rounds(dir, 40, System.nanoTime(), false).isEmpty());
  }

  /** The checker itself: acknowledgements of unsynced writes must be caught. */
  @Test
  void checkerCatchesAcknowledgedWritesThatWereNotSynced(@TempDir Path dir) throws Exception {
    assertTrue(!rounds(dir, 3, 0xBADL, true).isEmpty(),
        "three rounds of unsynced acknowledgements went unnoticed");
  }

  /** Runs the rounds; returns the problems (fails at once only when {@code !lie}). */
  private static List<String> rounds(Path dir, int rounds, long seed, boolean lie)
      throws Exception {
    Path vol = dir.resolve("volume");
    Path keyFile = dir.resolve("key");
    byte[] k = new byte[32];
    new SplittableRandom(seed).nextBytes(k); // test key, not a secret
    Files.write(keyFile, k);
    SecretBytes key = SecretBytes.copyOf(k);
    Volume.create(vol, key, VolumeConfig.defaults()).close();
    SplittableRandom random = new SplittableRandom(seed);
    long records = 0;
    long acked = 0;
    List<String> problems = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      long lastAck = killChild(dir, vol, keyFile, records, random.nextLong(100, 700), lie, round);
      if (lastAck >= 0) {
        acked += lastAck + 1 - records;
      }
      try (Volume v = Volume.open(vol, key, VolumeConfig.defaults())) {
        v.verify();
        long m = check(v, problems, round);
        if (lie) {
          if (lastAck >= m) {
            problems.add("round " + round + ": record " + lastAck + " acknowledged, " + m
                + " records found");
          }
          // the lying child leaves a volume that the next round must be able to extend: close
          // it with what is there
        } else if (lastAck >= m || m < records || m > Math.max(lastAck, records - 1) + 2) {
          problems.add("round " + round + ": " + m + " records after the crash, last"
              + " acknowledged " + lastAck + ", " + records + " before the round");
        }
        records = m;
      }
    }
    System.out.printf("dsync crash test: %d rounds, %d acknowledged appends, %d records, seed %d%n",
        rounds, acked, records, seed);
    if (!lie) {
      assertTrue(problems.isEmpty(), String.join("\n", problems));
      assertTrue(acked > rounds, "too few acknowledged appends to mean anything: " + acked);
    }
    return problems;
  }

  /** Starts the child from record {@code first}, kills it; returns the last ACK or -1. */
  private static long killChild(Path dir, Path vol, Path keyFile, long first, long delayMillis,
      boolean lie, int round) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        DsyncAppendChild.class.getName(), vol.toString(), keyFile.toString(),
        Long.toString(first)));
    if (lie) {
      cmd.add("--no-sync");
    }
    Path out = dir.resolve("child-" + round + ".out"); // a file keeps every line written
    Path err = dir.resolve("child-" + round + ".err");
    Process child =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.readString(out).startsWith("READY") && System.nanoTime() < until
        && child.isAlive()) {
      Thread.sleep(10);
    }
    if (!Files.readString(out).startsWith("READY")) {
      child.destroyForcibly().waitFor();
      throw new IOException("round " + round + ": child not ready: " + Files.readString(err));
    }
    child.waitFor(delayMillis, TimeUnit.MILLISECONDS);
    child.destroyForcibly();
    child.waitFor();
    String text = Files.readString(out);
    int end = text.lastIndexOf('\n'); // a line cut by the kill was not acknowledged
    long last = -1;
    for (String line : text.substring(0, end + 1).split("\n")) {
      if (line.startsWith("ACK ")) {
        last = Long.parseLong(line.substring(4));
      }
    }
    return last;
  }

  /** Parses the log: every byte must belong to records 0, 1, 2, ... in order; returns m. */
  private static long check(Volume v, List<String> problems, int round) throws IOException {
    if (v.stat("log").isEmpty()) {
      return 0;
    }
    byte[] log;
    try (VolumeFile f = v.open("log", Set.of(StandardOpenOption.READ))) {
      ByteBuffer b = ByteBuffer.allocate((int) f.size());
      while (b.hasRemaining() && f.read(b, b.position()) > 0) {
        // fill
      }
      log = b.array();
    }
    int off = 0;
    long i = 0;
    while (off < log.length) {
      byte[] want = DsyncAppendChild.record(i);
      if (off + want.length > log.length
          || !Arrays.equals(log, off, off + want.length, want, 0, want.length)) {
        problems.add("round " + round + ": record " + i + " at byte " + off + " is torn or"
            + " wrong (" + (log.length - off) + " bytes left)");
        try (VolumeFile f = v.open("log", Set.of(StandardOpenOption.WRITE))) {
          f.truncate(off); // lets the checker's own self-test continue
        }
        return i;
      }
      off += want.length;
      i++;
    }
    return i;
  }
}
