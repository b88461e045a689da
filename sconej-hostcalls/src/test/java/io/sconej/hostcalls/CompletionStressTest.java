package io.sconej.hostcalls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Stress of completion delivery (drain by callers, credits, doorbell only when nobody polls,
 * parked and rung waiters): a host that answers some requests at once and hands the others to
 * a delayed responder thread, so answers come late, out of order and in bursts while callers
 * are parked. Counts every request served and every call completed. The sweep's rescue of
 * stranded answers is turned off, so a lost completion makes its call time out; a duplicated or
 * misdelivered one gives a wrong value or a violation; a leaked credit leaves the pollers count
 * non-zero when all is quiet.
 */
class CompletionStressTest {
  @Test
  void everyCallCompletesExactlyOnceAndTheBookkeepingReturnsToZero() throws Exception {
    run(200, 0);
  }

  /**
   * Callers in lock-step rounds: after each round the queues fall silent, so an answer stranded
   * by a lost wake-up is not rescued by the next one's doorbell and its call times out.
   */
  @Test
  void lockStepRoundsLeaveNoAnswerStranded() throws Exception {
    run(12, 12);
  }

  private static void run(int callers, int roundSize) throws Exception {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2000);
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.CyclicBarrier round =
        roundSize > 0
            ? new java.util.concurrent.CyclicBarrier(
                roundSize, () -> stop.set(System.nanoTime() - end > 0)) // all stop together
            : null;
    LinkedBlockingQueue<HostSlot> delayed = new LinkedBlockingQueue<>();
    ConcurrentHashMap<Long, Boolean> served = new ConcurrentHashMap<>();
    AtomicLong duplicates = new AtomicLong();
    HostExecutor host =
        r -> {
          if (served.put(r.arg(0), Boolean.TRUE) != null) { // every call asks with its own x
            duplicates.incrementAndGet();
          }
          if (ThreadLocalRandom.current().nextInt(3) == 0) {
            delayed.add(r); // answered later by another host thread
          } else {
            r.respond(r.arg(0) * 7 + 1, HostError.OK, 0);
          }
        };
    Thread responder =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  List<HostSlot> batch = new ArrayList<>();
                  try {
                    while (true) {
                      batch.add(delayed.take());
                      Thread.sleep(0, ThreadLocalRandom.current().nextInt(200_000));
                      delayed.drainTo(batch);
                      java.util.Collections.shuffle(batch);
                      for (HostSlot r : batch) {
                        r.respond(r.arg(0) * 7 + 1, HostError.OK, 0);
                      }
                      batch.clear();
                    }
                  } catch (InterruptedException e) {
                    // test over
                  }
                });
    HostCallConfig config =
        HostCallConfig.fromMap(
            Map.of(
                "sconej.hostcalls.queues", "2",
                "sconej.hostcalls.sthreads", "2",
                "sconej.hostcalls.slots", "16",
                "sconej.hostcalls.slotBytes", "64",
                "sconej.hostcalls.sspins", "500",
                "sconej.hostcalls.cspins", "50",
                "sconej.hostcalls.cyields", "2",
                "sconej.hostcalls.timeoutMillis", "5000"));
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    AtomicLong completed = new AtomicLong();
    AtomicLong nextX = new AtomicLong();
    try (AsyncHostCalls a = AsyncHostCalls.create(config, host)) {
      a.disableRescueForTest();
      List<Thread> ts = new ArrayList<>();
      for (int t = 0; t < callers; t++) {
        Runnable work =
            () -> {
              try {
                while (round != null ? !stop.get() : System.nanoTime() - end < 0) {
                  long x = nextX.incrementAndGet();
                  assertEquals(x * 7 + 1, a.size(x));
                  completed.incrementAndGet();
                  if (round != null) {
                    round.await(10, TimeUnit.SECONDS);
                  }
                }
              } catch (Throwable e) {
                errors.add(e);
              }
            };
        ts.add(t % 10 == 1 ? Thread.ofPlatform().start(work) : Thread.ofVirtual().start(work));
      }
      for (Thread t : ts) {
        t.join(TimeUnit.SECONDS.toMillis(60));
        assertFalse(t.isAlive(), "a caller hangs: a completion was lost");
      }
      responder.interrupt();
      if (!errors.isEmpty()) {
        throw new AssertionError(errors.size() + " calls failed", errors.peek());
      }
      assertEquals(0, duplicates.get(), "a request was served twice");
      assertEquals(served.size(), completed.get(), "requests served vs calls completed");
      assertEquals(0, a.violations());
      assertTrue(completed.get() > 1000, "too little progress: " + completed.get());
      System.out.println("completed " + completed.get() + ", doorbells " + a.doorbells()
          + " (host-to-trusted wake-ups)");
      assertEquals(
          "inflight=0 pollers=0 free=16; inflight=0 pollers=0 free=16", a.bookkeeping());
    }
  }
}
