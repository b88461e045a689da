package io.sconej.hostcalls;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The trusted bookkeeping of one queue pair, kept on the heap where the host cannot reach it:
 * which slots are free, which request id each busy slot waits for, and who waits. Response
 * entries read from the untrusted response ring are matched against it; anything that does not
 * match an outstanding request is refused and counted.
 */
final class CallTable {
  static final int PENDING = 0;
  static final int DONE = 1;
  static final int FAILED = 2;
  static final int ABANDONED = 3;

  /** Longest single park: a lost or misdirected doorbell costs at most this much latency. */
  private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  /** One caller waiting for the answer to one request. */
  static final class Waiter {
    final Thread thread;
    final long id;
    final int slot;
    final AtomicInteger state = new AtomicInteger(PENDING);
    volatile String failure = "";

    Waiter(Thread thread, long id, int slot) {
      this.thread = thread;
      this.id = id;
      this.slot = slot;
    }
  }

  final QueuePair queue;
  private final AtomicReferenceArray<Waiter> waiters;
  private final ArrayBlockingQueue<Integer> free;
  private final AtomicLong nextId = new AtomicLong(1);
  private final AtomicInteger inflight = new AtomicInteger();
  private final LongAdder violations;
  private volatile String lastViolation = "";

  CallTable(QueuePair queue, LongAdder violations) {
    this.queue = queue;
    this.violations = violations;
    this.waiters = new AtomicReferenceArray<>(queue.slots);
    this.free = new ArrayBlockingQueue<>(queue.slots);
    for (int i = 0; i < queue.slots; i++) {
      free.add(i);
    }
  }

  /**
   * A free slot, or -1 if none became free before {@code deadline}. While waiting it drains the
   * response ring, since late answers to timed-out calls free their slots there.
   */
  int acquire(long deadline) throws InterruptedException {
    Integer s = free.poll();
    while (s == null) {
      drain();
      long rem = deadline - System.nanoTime();
      if (rem <= 0) {
        return -1;
      }
      s = free.poll(Math.min(rem, MAX_PARK_NANOS), TimeUnit.NANOSECONDS);
    }
    return s;
  }

  /** Returns a slot whose request is finished (answered and read, or never posted). */
  void release(int slot) {
    waiters.set(slot, null);
    free.add(slot);
  }

  /** Requests posted through this table so far. */
  long posted() {
    return nextId.get() - 1;
  }

  long nextId() {
    long id = nextId.getAndIncrement();
    if (id > RingDescriptor.MAX_REQUEST_ID) {
      throw new IllegalStateException("request ids exhausted on queue " + queue.index);
    }
    return id;
  }

  /** Registers the waiter of a request about to be posted. */
  void register(Waiter w) {
    waiters.set(w.slot, w);
    inflight.incrementAndGet();
  }

  /** Undoes {@link #register} for a request that could not be posted. */
  void unregister(Waiter w) {
    inflight.decrementAndGet();
    release(w.slot);
  }

  int inflight() {
    return inflight.get();
  }

  String lastViolation() {
    return lastViolation;
  }

  private void violation(String what) {
    violations.increment();
    lastViolation = what;
  }

  /** Wakes whoever waits on {@code slot} (a doorbell: carries no data, trusted for nothing). */
  void wake(int slot) {
    if (slot >= 0 && slot < queue.slots) {
      Waiter w = waiters.get(slot);
      if (w != null) {
        LockSupport.unpark(w.thread);
      }
    }
  }

  /** Takes every entry from the response ring and hands each to its waiter, or refuses it. */
  void drain() {
    int limit = 2 * queue.responses.capacity();
    for (int i = 0; i < limit; i++) {
      long e = queue.responses.poll();
      if (e == OffHeapRing.EMPTY) {
        return;
      }
      dispatch(RingDescriptor.slot(e), RingDescriptor.requestId(e));
    }
  }

  private void dispatch(int slot, long id) {
    if (slot >= queue.slots) {
      violation("response names slot " + slot + " of " + queue.slots);
      return;
    }
    Waiter w = waiters.get(slot);
    if (w == null) {
      violation("response " + id + " for idle slot " + slot);
      return;
    }
    if (id == w.id) {
      if (w.state.compareAndSet(PENDING, DONE)) {
        inflight.decrementAndGet();
        LockSupport.unpark(w.thread);
      } else if (w.state.get() != DONE && waiters.compareAndSet(slot, w, null)) {
        inflight.decrementAndGet(); // late answer to a timed-out or failed call frees its slot
        free.add(slot);
      } else {
        violation("duplicate response " + id + " on slot " + slot);
      }
    } else if (id > w.id) {
      violation("response " + id + " on slot " + slot + " answers request " + w.id);
      w.failure =
          "host answered request " + w.id + " on slot " + slot + " with request id " + id;
      if (w.state.compareAndSet(PENDING, FAILED)) {
        LockSupport.unpark(w.thread);
      }
    } else {
      violation("stale response " + id + " on slot " + slot + " (now serving " + w.id + ")");
    }
  }

  /**
   * Waits until {@code w} is answered, failed, or {@code deadline} passes. Spins up to {@code
   * spins} polls first if at most {@code ethreads} calls are in flight (then the carrier has
   * little else to run), otherwise parks at once so the carrier runs other virtual threads.
   *
   * @return the final state: DONE, FAILED or ABANDONED (timed out)
   */
  int await(Waiter w, long deadline, long spins, int ethreads) {
    long spinsLeft = inflight.get() <= ethreads ? spins : 0;
    while (true) {
      drain();
      int st = w.state.get();
      if (st != PENDING) {
        return st;
      }
      if (spinsLeft > 0) {
        spinsLeft--;
        Thread.onSpinWait();
        continue;
      }
      long rem = deadline - System.nanoTime();
      if (rem <= 0) {
        if (w.state.compareAndSet(PENDING, ABANDONED)) {
          return ABANDONED;
        }
        continue;
      }
      LockSupport.parkNanos(this, Math.min(rem, MAX_PARK_NANOS));
    }
  }

  /** Fails every pending call (on close). */
  void failAll(String why) {
    for (int i = 0; i < queue.slots; i++) {
      Waiter w = waiters.get(i);
      if (w != null) {
        w.failure = why;
        if (w.state.compareAndSet(PENDING, FAILED)) {
          LockSupport.unpark(w.thread);
        }
      }
    }
  }
}
