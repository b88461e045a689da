package io.sconej.it.crash;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash consistency of a volume (issue "File system shield", item 7): a child JVM writes and
 * syncs at random and is killed with SIGKILL at random instants; after each kill the volume must
 * open, pass {@code verify()}, and hold every file at a state no older than its last acknowledged
 * sync, and it must stay usable for the next round. 8 rounds here, 60 with {@code -Plong}.
 */
class VolumeCrashTest {

  @Test
  void eightKillsLeaveTheVolumeConsistentAndUsable(@TempDir Path dir) throws Exception {
    runRounds(dir, 8, 0xC0FFEEL);
  }

  @Test
  @Tag("long")
  void sixtyKillsLeaveTheVolumeConsistentAndUsable(@TempDir Path dir) throws Exception {
    runRounds(dir, 60, System.nanoTime());
  }

  /** The checker itself: a child that acknowledges syncs it never made must be caught. */
  @Test
  void checkerCatchesAcknowledgementsWithoutSync(@TempDir Path dir) throws Exception {
    CrashRunner runner = new CrashRunner(dir, 7, true);
    int caught = 0;
    for (int i = 0; i < 3 && caught == 0; i++) {
      CrashRunner.Round r = runner.round(i);
      if (!r.problems().isEmpty()) {
        caught++;
      }
    }
    assertTrue(caught > 0, "three rounds of unsynced acknowledgements went unnoticed");
  }

  private static void runRounds(Path dir, int rounds, long seed) throws Exception {
    CrashRunner runner = new CrashRunner(dir, seed, false);
    List<String> failures = new ArrayList<>();
    int ops = 0;
    int acks = 0;
    for (int i = 0; i < rounds; i++) {
      CrashRunner.Round r = runner.round(i);
      ops += r.ops();
      acks += r.acks();
      for (String p : r.problems()) {
        failures.add("round " + i + " (seed " + seed + ", kill after " + r.killDelayMillis()
            + " ms" + (r.killedWhileOpening() ? " from start" : " from READY") + "): " + p);
      }
    }
    System.out.printf("crash test: %d rounds, %d ops, %d acknowledged syncs, seed %d%n", rounds,
        ops, acks, seed);
    assertTrue(failures.isEmpty(), String.join("\n", failures));
    assertTrue(acks > rounds, "too few acknowledged syncs to mean anything: " + acks);
  }
}
