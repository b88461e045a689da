package io.sconej.hostcalls;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The free slots of one queue pair (trusted heap): a lock-free stack of slot indices (Treiber
 * stack, head tagged with a version against ABA) guarded by a counting {@link Semaphore}. While
 * slots are left, taking and returning one is a few compare-and-sets and never blocks; only when
 * every slot is in use does a caller wait: it queues a ticket and parks (a virtual thread
 * unmounts) until a releaser claims its ticket and hands it the returned slot directly (first
 * come, first served: a returned slot never goes back to the stack while someone waits, so
 * newcomers cannot overtake the queue), or until {@link #sweep} finds its deadline passed.
 * Parks are untimed: a timed park of a virtual thread arms and cancels a timer task, which costs
 * a wake-up of the timer thread every time.
 *
 * <p>Invariant: the number of permits never exceeds the number of indices on the stack, because
 * an index is pushed before its permit is released and popped only after a permit is taken. So
 * a caller holding a permit always finds an index.
 */
final class FreeSlots {
  private static final long INDEX_MASK = 0xffff_ffffL;

  private final int slots;
  /** version << 32 | (top index + 1); low half 0 = empty. */
  private final AtomicLong head = new AtomicLong();
  /** next[i] = index below i on the stack, plus one; 0 = bottom. */
  private final AtomicIntegerArray next;
  private final Semaphore permits;
  private final ConcurrentLinkedQueue<Ticket> waiting = new ConcurrentLinkedQueue<>();

  /**
   * A caller waiting for a slot. Claimed once (compare-and-set): by a releaser, which then hands
   * it {@link #slot}, or by its owner giving up.
   */
  private static final class Ticket extends AtomicBoolean {
    final Thread thread = Thread.currentThread();
    final long deadline;
    volatile int slot = -1;

    Ticket(long deadline) {
      this.deadline = deadline;
    }

    boolean claim() {
      return compareAndSet(false, true);
    }

    /** The slot a releaser that claimed this ticket hands over (set right after its claim). */
    int handedSlot() {
      int s;
      while ((s = slot) < 0) {
        Thread.onSpinWait();
      }
      return s;
    }
  }

  FreeSlots(int slots) {
    this.slots = slots;
    this.next = new AtomicIntegerArray(slots);
    this.permits = new Semaphore(0);
    for (int i = slots - 1; i >= 0; i--) {
      release(i);
    }
  }

  /** A free slot at once, or -1 if none is free now. Never blocks. */
  int tryAcquire() {
    return permits.tryAcquire() ? pop() : -1;
  }

  /**
   * A free slot, waiting until {@code deadline} ({@link System#nanoTime}) for one to be returned;
   * -1 if none was. Wakes up at the latest at the first {@link #sweep} after the deadline.
   *
   * @throws InterruptedException if interrupted while waiting (the flag is cleared)
   */
  int acquire(long deadline) throws InterruptedException {
    int s = tryAcquire();
    if (s >= 0) {
      return s;
    }
    if (System.nanoTime() - deadline >= 0) {
      return -1;
    }
    Ticket t = new Ticket(deadline);
    waiting.add(t);
    s = tryAcquire(); // a slot returned before the ticket was queued has no releaser to hand it
    if (s >= 0) {
      if (!t.claim()) {
        release(t.handedSlot()); // a releaser handed us one as well: give it back
      }
      return s;
    }
    while (true) {
      if (t.get()) {
        return t.handedSlot(); // only a releaser claims a ticket its owner still waits on
      }
      if (System.nanoTime() - deadline >= 0) {
        if (t.claim()) {
          return -1;
        }
        continue; // a releaser won the race: its slot is ours
      }
      LockSupport.park(this);
      if (Thread.interrupted()) {
        if (!t.claim()) {
          release(t.handedSlot());
        }
        throw new InterruptedException();
      }
    }
  }

  /**
   * Returns a slot taken from here: hands it to the longest waiting caller if any, else puts it
   * back on the stack. Returning a slot twice breaks the pool (callers must not).
   */
  void release(int slot) {
    if (slot < 0 || slot >= slots) {
      throw new IllegalArgumentException("slot " + slot + " out of range [0, " + slots + ")");
    }
    Ticket t;
    while ((t = waiting.poll()) != null) {
      if (t.claim()) {
        t.slot = slot;
        LockSupport.unpark(t.thread);
        return;
      }
    }
    while (true) {
      long h = head.get();
      next.set(slot, (int) (h & INDEX_MASK));
      long nh = ((h >>> 32) + 1) << 32 | (slot + 1L);
      if (head.compareAndSet(h, nh)) {
        break;
      }
    }
    permits.release();
  }

  /** Unparks waiters whose deadline has passed (called periodically by the watchdog). */
  void sweep(long now) {
    for (Ticket t : waiting) {
      if (now - t.deadline >= 0 && !t.get()) {
        LockSupport.unpark(t.thread);
      }
    }
    waiting.removeIf(Ticket::get);
  }

  /** Slots free right now (a snapshot). */
  int available() {
    return permits.availablePermits();
  }

  private int pop() {
    while (true) {
      long h = head.get();
      int top = (int) (h & INDEX_MASK) - 1;
      if (top < 0) {
        throw new IllegalStateException("free-slot stack empty under a permit"); // see invariant
      }
      long nh = ((h >>> 32) + 1) << 32 | (next.get(top) & INDEX_MASK);
      if (head.compareAndSet(h, nh)) {
        return top;
      }
    }
  }
}
