package io.sconej.hostcalls;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The host threads (SCONE's sthreads) that serve the request rings. Each polls every queue pair,
 * spins {@code spins} empty polls, then sleeps {@code sleep} (or until woken) so that idle
 * sthreads never burn the cores the application needs. Runs outside the trust boundary.
 */
final class Sthreads implements AutoCloseable {
  /**
   * An idle sthread gives its core away ({@code sched_yield}) once every 64 empty polls: on 2
   * cores a spinning sthread otherwise takes a carrier's time slice (measured: 5-10x slower at
   * 256 callers without it).
   */
  private static final long YIELD_EVERY_MASK = 63;

  private final QueuePair[] queues;
  private final HostExecutor executor;
  private final HostSlot.Doorbell doorbell;
  private final long spins;
  private final long sleepNanos;
  private final Thread[] threads;
  private final AtomicIntegerArray sleeping;
  private volatile boolean running = true;

  Sthreads(
      QueuePair[] queues,
      HostExecutor executor,
      HostSlot.Doorbell doorbell,
      int count,
      long spins,
      long sleepNanos) {
    this.queues = queues;
    this.executor = executor;
    this.doorbell = doorbell;
    this.spins = spins;
    this.sleepNanos = sleepNanos;
    this.threads = new Thread[count];
    this.sleeping = new AtomicIntegerArray(count);
    for (int i = 0; i < count; i++) {
      int me = i;
      threads[i] = Thread.ofPlatform().daemon().name("sconej-sthread-" + i).unstarted(() -> run(me));
    }
  }

  void start() {
    for (Thread t : threads) {
      t.start();
    }
  }

  private void run(int me) {
    int n = queues.length;
    int start = me % n;
    long idle = 0;
    while (running) {
      boolean found = false;
      for (int k = 0; k < n; k++) {
        QueuePair q = queues[(start + k) % n];
        // Serve the whole batch present (bounded: a host-corrupted ring cannot keep us here).
        for (int b = q.requests.capacity(); b > 0; b--) {
          long e = q.requests.poll();
          if (e == OffHeapRing.EMPTY) {
            break;
          }
          serve(q, e);
          found = true;
        }
      }
      if (found) {
        idle = 0;
      } else if (idle < spins) {
        idle++;
        if ((idle & YIELD_EVERY_MASK) == 0) {
          Thread.yield(); // let a carrier that shares this core run (cores are few)
        } else {
          Thread.onSpinWait();
        }
      } else {
        sleep(me);
      }
    }
  }

  private void sleep(int me) {
    for (QueuePair q : queues) {
      q.addSleepers(1);
    }
    sleeping.set(me, 1);
    boolean pending = false;
    for (QueuePair q : queues) {
      pending |= q.requests.probablyNonEmpty();
    }
    if (!pending && running) {
      LockSupport.parkNanos(this, sleepNanos);
    }
    sleeping.set(me, 0);
    for (QueuePair q : queues) {
      q.addSleepers(-1);
    }
  }

  private void serve(QueuePair q, long entry) {
    int slot = RingDescriptor.slot(entry);
    if (slot >= q.slots) {
      return; // only a corrupted ring names such a slot; nobody waits for it
    }
    HostSlot s = new HostSlot(q, slot, RingDescriptor.requestId(entry), doorbell);
    try {
      executor.serve(s);
    } catch (RuntimeException e) {
      if (!s.answered()) {
        FileHostExecutor.respondError(s, HostError.IO, e.getClass().getSimpleName());
      }
    }
  }

  /** Wakes one sleeping sthread, if any (in SGX this is a futex call: one enclave exit). */
  void wakeOne() {
    for (int i = 0; i < threads.length; i++) {
      if (sleeping.get(i) == 1) {
        LockSupport.unpark(threads[i]);
        return;
      }
    }
  }

  /** Stops the threads; waits at most {@code waitMillis} for each (a blocked one is left). */
  @Override
  public void close() {
    running = false;
    for (Thread t : threads) {
      LockSupport.unpark(t);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    for (Thread t : threads) {
      long rem = deadline - System.nanoTime();
      if (rem > 0) {
        try {
          t.join(java.time.Duration.ofNanos(rem));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
