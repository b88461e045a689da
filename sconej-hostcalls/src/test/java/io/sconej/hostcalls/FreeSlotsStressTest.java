package io.sconej.hostcalls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Stress of the lock-free free-slot pool: many virtual and platform threads take and return
 * slots, far more threads than slots, so that the blocking fallback is used constantly. A slot
 * handed to two holders at once, a slot lost, or a waiter never woken fails the test.
 */
class FreeSlotsStressTest {
  @Test
  void noSlotIsEverHeldTwiceOrLost() throws Exception {
    int slots = 8;
    FreeSlots free = new FreeSlots(slots);
    AtomicIntegerArray owner = new AtomicIntegerArray(slots);
    AtomicLong taken = new AtomicLong();
    AtomicLong timedOut = new AtomicLong();
    ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < 96; t++) {
      int me = t + 1;
      Runnable work =
          () -> {
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            while (System.nanoTime() < end) {
              int s;
              try {
                s = free.acquire(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
              } catch (InterruptedException e) {
                errors.add("interrupted");
                return;
              }
              if (s < 0) {
                timedOut.incrementAndGet();
                continue;
              }
              if (!owner.compareAndSet(s, 0, me)) {
                errors.add("slot " + s + " given to " + me + " while held by " + owner.get(s));
                return;
              }
              taken.incrementAndGet();
              if (rnd.nextInt(4) == 0) {
                Thread.yield();
              }
              owner.set(s, 0);
              free.release(s);
            }
          };
      ts.add(t % 6 == 0 ? Thread.ofPlatform().start(work) : Thread.ofVirtual().start(work));
    }
    // The sweep is what bounds waits in production; run it here as the watchdog would.
    Thread sweeper =
        Thread.ofPlatform()
            .start(
                () -> {
                  while (System.nanoTime() < end + TimeUnit.SECONDS.toNanos(2)) {
                    free.sweep(System.nanoTime());
                    try {
                      Thread.sleep(5);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
    for (Thread t : ts) {
      t.join(TimeUnit.SECONDS.toMillis(30));
      assertFalse(t.isAlive(), "a slot taker hangs");
    }
    sweeper.interrupt();
    assertTrue(errors.isEmpty(), errors.toString());
    assertTrue(taken.get() > 1000, "too little progress: " + taken.get());
    assertEquals(0, timedOut.get(), "waiters not woken by returned slots");
    assertEquals(slots, free.available());
    BitSet seen = new BitSet();
    for (int i = 0; i < slots; i++) {
      int s = free.tryAcquire();
      assertTrue(s >= 0 && !seen.get(s), "slot " + s + " missing or duplicated");
      seen.set(s);
    }
    assertEquals(-1, free.tryAcquire());
  }

  @Test
  void aWaiterGivesUpAtItsDeadline() throws Exception {
    FreeSlots free = new FreeSlots(1);
    int s = free.tryAcquire();
    assertEquals(0, s);
    long t0 = System.nanoTime();
    Thread sweeper =
        Thread.ofPlatform()
            .start(
                () -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    free.sweep(System.nanoTime());
                    try {
                      Thread.sleep(5);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
    assertEquals(-1, free.acquire(t0 + TimeUnit.MILLISECONDS.toNanos(100)));
    long waited = System.nanoTime() - t0;
    sweeper.interrupt();
    assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(100), "gave up early: " + waited);
    assertTrue(waited < TimeUnit.SECONDS.toNanos(5), "gave up late: " + waited);
    free.release(s);
    assertEquals(0, free.tryAcquire());
  }
}
