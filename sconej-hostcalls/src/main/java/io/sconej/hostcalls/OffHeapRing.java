package io.sconej.hostcalls;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * A bounded lock-free multi-producer multi-consumer ring of {@code long} entries in a {@link
 * MemorySegment} laid out by {@link RingDescriptor}. Memory ordering comes from {@link VarHandle}
 * acquire/release and compare-and-set; there is no lock and no {@code Unsafe}.
 *
 * <p>The memory is shared with the untrusted host, which may scribble on any of it. The ring
 * therefore never loops without bound: after {@link #MAX_RETRIES} lost races or inconsistent
 * sequence numbers, {@link #offer} reports failure and {@link #poll} reports empty. Every bounds
 * check is done by the segment itself, so a corrupted position can never read or write outside
 * the ring.
 */
final class OffHeapRing {
  /** Returned by {@link #poll} when no entry is available. */
  static final long EMPTY = -1;

  /** Lost races or inconsistent cells tolerated in one call before giving up. */
  static final int MAX_RETRIES = 1 << 16;

  private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

  private final MemorySegment ring;
  private final int capacity;
  private final long mask;

  OffHeapRing(MemorySegment ring, int capacity) {
    if (Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("ring capacity must be a power of two: " + capacity);
    }
    if (ring.byteSize() < RingDescriptor.bytes(capacity)) {
      throw new IllegalArgumentException(
          "insufficient capacity: minCapacity="
              + RingDescriptor.bytes(capacity)
              + ", capacity="
              + ring.byteSize());
    }
    this.ring = ring;
    this.capacity = capacity;
    this.mask = capacity - 1;
  }

  /** Sets every cell's sequence to its index: an empty ring. Only before sharing. */
  void format() {
    LONG.setVolatile(ring, (long) RingDescriptor.TAIL_OFFSET, 0L);
    LONG.setVolatile(ring, (long) RingDescriptor.HEAD_OFFSET, 0L);
    for (int i = 0; i < capacity; i++) {
      LONG.setRelease(ring, sequenceOffset(i), (long) i);
    }
  }

  int capacity() {
    return capacity;
  }

  private static long sequenceOffset(long index) {
    return RingDescriptor.CELLS_OFFSET
        + index * RingDescriptor.CELL_BYTES
        + RingDescriptor.CELL_SEQUENCE_OFFSET;
  }

  /** Appends {@code entry}; false if the ring is full (or corrupted beyond use). */
  boolean offer(long entry) {
    long pos = (long) LONG.getVolatile(ring, (long) RingDescriptor.TAIL_OFFSET);
    for (int tries = 0; tries < MAX_RETRIES; tries++) {
      long cell = pos & mask;
      long seq = (long) LONG.getAcquire(ring, sequenceOffset(cell));
      long dif = seq - pos;
      if (dif == 0) {
        if (LONG.compareAndSet(ring, (long) RingDescriptor.TAIL_OFFSET, pos, pos + 1)) {
          LONG.set(ring, sequenceOffset(cell) + RingDescriptor.CELL_ENTRY_OFFSET, entry);
          LONG.setRelease(ring, sequenceOffset(cell), pos + 1);
          return true;
        }
      } else if (dif < 0) {
        return false;
      } else {
        Thread.onSpinWait();
      }
      pos = (long) LONG.getVolatile(ring, (long) RingDescriptor.TAIL_OFFSET);
    }
    return false;
  }

  /** Removes and returns the oldest entry, or {@link #EMPTY}. */
  long poll() {
    long pos = (long) LONG.getVolatile(ring, (long) RingDescriptor.HEAD_OFFSET);
    for (int tries = 0; tries < MAX_RETRIES; tries++) {
      long cell = pos & mask;
      long seq = (long) LONG.getAcquire(ring, sequenceOffset(cell));
      long dif = seq - (pos + 1);
      if (dif == 0) {
        if (LONG.compareAndSet(ring, (long) RingDescriptor.HEAD_OFFSET, pos, pos + 1)) {
          long entry =
              (long) LONG.get(ring, sequenceOffset(cell) + RingDescriptor.CELL_ENTRY_OFFSET);
          LONG.setRelease(ring, sequenceOffset(cell), pos + capacity);
          return entry;
        }
      } else if (dif < 0) {
        return EMPTY;
      } else {
        Thread.onSpinWait();
      }
      pos = (long) LONG.getVolatile(ring, (long) RingDescriptor.HEAD_OFFSET);
    }
    return EMPTY;
  }

  /** True if a poll would probably find an entry (a hint, racy by nature). */
  boolean probablyNonEmpty() {
    long pos = (long) LONG.getVolatile(ring, (long) RingDescriptor.HEAD_OFFSET);
    long seq = (long) LONG.getAcquire(ring, sequenceOffset(pos & mask));
    return seq == pos + 1;
  }
}
