package io.sconej.hostcalls;

import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The trusted bookkeeping of one queue pair, kept on the heap where the host cannot reach it:
 * which slots are free, which request id each busy slot waits for, who waits, and whether the
 * waiter is parked. Response entries read from the untrusted response ring are matched against
 * it; anything that does not match an outstanding request is refused and counted.
 *
 * <p>Completions are consumed by the trusted side itself: every caller drains the whole response
 * ring whenever it looks for its own answer and resumes the waiters it finds (an unpark issued on
 * a carrier is a push onto that carrier's local queue). The host's doorbell is needed only when
 * nobody on the trusted side will drain soon. {@link #pollers} counts such callers: those
 * between posting and parking, and those resumed but not yet returned (whoever resumes a parked
 * waiter adds one on its behalf: a <em>credit</em> the waiter gives back when it returns or parks
 * again). The doorbell unparks a parked waiter only when the count is zero. Whoever brings it to
 * zero drains once more afterwards, so an answer posted while the last poller was leaving is
 * never stranded.
 *
 * <p>Who could miss whose signal: this is Dekker's pattern. The host stores the answer
 * (the release store of its ring cell's sequence in {@link OffHeapRing#offer}), then loads
 * {@code pollers} in {@link #wake}; the last poller stores {@code pollers = 0}, then loads the
 * cell in {@link #drain}. A release store followed by a load is not ordered (on x86 the store can
 * still sit in the store buffer when the load runs), so without more both could read the old
 * value: the host sees a poller and stays silent, the poller sees an empty ring and leaves, and
 * the answer is stranded until the sweep (or, with rescue off, the call times out: the rare
 * {@code CompletionStressTest} failure). Hence a {@link VarHandle#fullFence} on each side between
 * its store and its load: in {@link #wake} before reading the count, in {@link #leavePolling}
 * after zeroing it. The fences are totally ordered; whichever side fences second reads the
 * other's store, so either the doorbell sees zero (and the slot's waiter is then PARKED or
 * finished: it counted as a poller until after it became PARKED) or the last poller's drain sees
 * the answer. An answer behind a cell another producer claimed but has not yet published is
 * covered by that producer's own doorbell, which follows the same rule.
 *
 * <pre>
 *   PENDING ──(waiter: nothing yet, parks)──► PARKED ──(doorbell, +credit)──► RUNG
 *      │  ▲                                     │  │                            │
 *      │  └──────(waiter: woken, keeps/ takes a credit, polls again)──────────┘
 *      │                                        │  └─(deadline, by the waiter)─► ABANDONED
 *      ▼ (drainer)                              ▼ (drainer, +credit)
 *   DONE / FAILED  ◄─────────────────────────── DONE / FAILED  ◄── (drainer) ── RUNG
 * </pre>
 */
final class CallTable {
  static final int PENDING = 0;
  static final int DONE = 1;
  static final int FAILED = 2;
  static final int ABANDONED = 3;
  static final int PARKED = 4;
  static final int RUNG = 5;

  /**
   * Period of {@link #sweep}: a lost or misdirected doorbell, or a missed deadline, costs at
   * most about this much latency.
   */
  static final long SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  /** One caller waiting for the answer to one request. */
  static final class Waiter {
    final Thread thread;
    final long id;
    final int slot;
    final long deadline;

    /** PENDING (polling), PARKED, RUNG, then DONE, FAILED or ABANDONED for good. */
    final AtomicInteger state = new AtomicInteger(PENDING);

    volatile String failure = "";

    Waiter(Thread thread, long id, int slot, long deadline) {
      this.thread = thread;
      this.id = id;
      this.slot = slot;
      this.deadline = deadline;
    }
  }

  final QueuePair queue;
  private final AtomicReferenceArray<Waiter> waiters;
  private final FreeSlots free;
  private final AtomicLong nextId = new AtomicLong(1);
  private final AtomicInteger inflight = new AtomicInteger();
  private final AtomicInteger pollers = new AtomicInteger();
  private final LongAdder violations;
  private final LongAdder doorbells = new LongAdder();
  private final LongAdder rescues = new LongAdder();
  /** Tests turn the sweep's draining off to prove the fast path never strands an answer. */
  volatile boolean rescue = true;
  private volatile String lastViolation = "";

  CallTable(QueuePair queue, LongAdder violations) {
    this.queue = queue;
    this.violations = violations;
    this.waiters = new AtomicReferenceArray<>(queue.slots);
    this.free = new FreeSlots(queue.slots);
  }

  /**
   * A free slot, or -1 if none became free before {@code deadline}. Lock-free while slots are
   * left; otherwise it drains the response ring once (late answers to timed-out calls free their
   * slots there) and waits in {@link FreeSlots}.
   */
  int acquire(long deadline) throws InterruptedException {
    int s = free.tryAcquire();
    if (s >= 0) {
      return s;
    }
    drain();
    return free.acquire(deadline);
  }

  /**
   * The periodic safety net (run by a trusted timer thread every {@link #SWEEP_NANOS}): drains
   * answers nobody is polling for (a lost doorbell, late answers to timed-out calls), and
   * unparks waiters whose deadline has passed, so that parks can be untimed.
   */
  void sweep(long now) {
    if (rescue && pollers.get() == 0 && queue.responses.probablyNonEmpty()) {
      rescues.increment();
      drain();
    }
    for (int i = 0; i < queue.slots; i++) {
      Waiter w = waiters.get(i);
      if (w != null && w.state.get() == PARKED && now - w.deadline >= 0) {
        LockSupport.unpark(w.thread);
      }
    }
    free.sweep(now);
  }

  /** Returns a slot whose request is finished (answered and read, or never posted). */
  void release(int slot) {
    waiters.set(slot, null);
    free.release(slot);
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

  /**
   * Registers the waiter of a request about to be posted; from here until {@link #await}
   * returns, the caller counts as a poller (it will drain before it parks).
   */
  void register(Waiter w) {
    waiters.set(w.slot, w);
    inflight.incrementAndGet();
    pollers.incrementAndGet();
  }

  /** Undoes {@link #register} for a request that could not be posted. */
  void unregister(Waiter w) {
    inflight.decrementAndGet();
    leavePolling();
    release(w.slot);
  }

  int inflight() {
    return inflight.get();
  }

  /** The counters, for tests of quiescence: all zero and every slot free when idle. */
  String bookkeeping() {
    return "inflight=" + inflight.get() + " pollers=" + pollers.get() + " free=" + free.available();
  }

  /** Doorbells that actually unparked a waiter (host-to-trusted wake-ups). */
  long doorbells() {
    return doorbells.sum();
  }

  /**
   * Times the sweep found answers that nobody would have drained: only late answers to
   * abandoned calls and host misbehaviour should cause these, never the honest fast path.
   */
  long rescues() {
    return rescues.sum();
  }

  String lastViolation() {
    return lastViolation;
  }

  private void violation(String what) {
    violations.increment();
    lastViolation = what;
  }

  /**
   * The host's doorbell for {@code slot} (carries no data, trusted for nothing): if no trusted
   * caller will drain soon and the slot's waiter is parked, unparks it (RUNG, with a credit) so
   * that it drains the ring and resumes everyone else answered. Otherwise does nothing.
   */
  void wake(int slot) {
    VarHandle.fullFence(); // the host's ring store before the pollers load (class comment)
    if (pollers.get() != 0 || slot < 0 || slot >= queue.slots) {
      return;
    }
    Waiter w = waiters.get(slot);
    if (w != null && w.state.get() == PARKED) {
      pollers.incrementAndGet();
      if (w.state.compareAndSet(PARKED, RUNG)) {
        doorbells.increment();
        LockSupport.unpark(w.thread);
      } else {
        leavePolling();
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

  /**
   * Moves a waiter to a final state; unparks it if it was parked. A parked waiter gets a credit
   * with it (it will drain when it returns); a rung one has its credit already.
   */
  private boolean finish(Waiter w, int to) {
    while (true) {
      int st = w.state.get();
      if (st == PENDING) {
        if (w.state.compareAndSet(PENDING, to)) {
          return true; // it polls: it will see the new state without a wake-up
        }
      } else if (st == PARKED) {
        pollers.incrementAndGet();
        if (w.state.compareAndSet(PARKED, to)) {
          LockSupport.unpark(w.thread);
          return true;
        }
        leavePolling();
      } else if (st == RUNG) {
        if (w.state.compareAndSet(RUNG, to)) {
          LockSupport.unpark(w.thread);
          return true;
        }
      } else {
        return false;
      }
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
      if (finish(w, DONE)) {
        inflight.decrementAndGet();
      } else if (w.state.get() != DONE && waiters.compareAndSet(slot, w, null)) {
        inflight.decrementAndGet(); // late answer to a timed-out or failed call frees its slot
        free.release(slot);
      } else {
        violation("duplicate response " + id + " on slot " + slot);
      }
    } else if (id > w.id) {
      violation("response " + id + " on slot " + slot + " answers request " + w.id);
      w.failure =
          "host answered request " + w.id + " on slot " + slot + " with request id " + id;
      finish(w, FAILED);
    } else {
      violation("stale response " + id + " on slot " + slot + " (now serving " + w.id + ")");
    }
  }

  /** A caller stops polling; the last one to stop drains once more (see the class comment). */
  private void leavePolling() {
    if (pollers.decrementAndGet() == 0) {
      VarHandle.fullFence(); // the pollers store before the ring loads (class comment)
      drain();
    }
  }

  /**
   * Waits until {@code w} is answered, failed, or {@code deadline} passes: polls (drains the
   * ring) up to {@code spins} times with {@code Thread.onSpinWait} while this caller is the only
   * poller and at most {@code ethreads} calls are in flight (checked every 64 polls: the carrier
   * has nothing else to run), then up to {@code yields} times
   * with {@code Thread.yield} (the carrier runs other virtual threads in between), then parks
   * until a drainer or the doorbell unparks it. A waiter woken by the doorbell pays {@code
   * exitCost} (in SGX an ethread that slept was woken through the host).
   *
   * @return the final state: DONE, FAILED or ABANDONED (timed out)
   */
  int await(Waiter w, long deadline, long spins, long yields, int ethreads, ExitCost exitCost) {
    long spinsLeft = spins;
    long yieldsLeft = yields;
    while (true) {
      drain();
      int st = w.state.get();
      if (st != PENDING) {
        leavePolling();
        return st;
      }
      if (spinsLeft > 0) {
        // Spin only while this caller is alone on the trusted side: any other poller or resumed
        // waiter would wait for this carrier, and on few cores a spinner also slows the host.
        if ((spinsLeft & 63) == (spins & 63) && (pollers.get() > 1 || inflight.get() > ethreads)) {
          spinsLeft = 0;
          continue;
        }
        spinsLeft--;
        Thread.onSpinWait();
        continue;
      }
      if (yieldsLeft > 0) {
        yieldsLeft--;
        Thread.yield();
        continue;
      }
      if (System.nanoTime() - deadline >= 0) {
        if (w.state.compareAndSet(PENDING, ABANDONED)) {
          leavePolling();
          return ABANDONED;
        }
        continue;
      }
      if (!w.state.compareAndSet(PENDING, PARKED)) {
        continue; // answered or failed meanwhile
      }
      leavePolling();
      st = park(w, exitCost);
      if (st != PENDING) {
        return st;
      }
      yieldsLeft = yields;
    }
  }

  /**
   * Parks a PARKED waiter (it has given back its credit) until it is finished, rung, or its
   * deadline passes. Returns its final state, or PENDING when it polls again (rung by the
   * doorbell, holding the doorbell's credit). The park is untimed: {@link #sweep} wakes it after
   * its deadline. An interrupt does not end the wait (the host may still write into the slot);
   * it is kept for the caller.
   */
  private int park(Waiter w, ExitCost exitCost) {
    boolean interrupted = false;
    try {
      while (true) {
        int st = w.state.get();
        if (st == PARKED) {
          if (System.nanoTime() - w.deadline >= 0) {
            if (w.state.compareAndSet(PARKED, ABANDONED)) {
              return ABANDONED;
            }
            continue;
          }
          LockSupport.park(this);
          interrupted |= Thread.interrupted();
        } else if (st == RUNG) {
          exitCost.pay(); // in SGX: an ethread that slept was woken through the host
          if (w.state.compareAndSet(RUNG, PENDING)) {
            return PENDING;
          }
        } else {
          leavePolling(); // the credit its finisher (or the doorbell) gave it
          return st;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Fails every pending call (on close). */
  void failAll(String why) {
    for (int i = 0; i < queue.slots; i++) {
      Waiter w = waiters.get(i);
      if (w != null) {
        w.failure = why;
        finish(w, FAILED);
      }
    }
  }
}
