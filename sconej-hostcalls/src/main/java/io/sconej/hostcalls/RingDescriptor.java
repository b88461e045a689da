package io.sconej.hostcalls;

/**
 * Layout of one bounded multi-producer multi-consumer ring in untrusted off-heap memory (the
 * algorithm of D. Vyukov's bounded MPMC queue: every cell carries a sequence number).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                 tail: next position to offer (long)           |  offset 0
 *  |                 ... padding to 64 bytes (no false sharing)    |
 *  +---------------------------------------------------------------+
 *  |                 head: next position to poll (long)            |  offset 64
 *  |                 ... padding to 64 bytes                       |
 *  +---------------------------------------------------------------+
 *  |  cell 0: sequence (long)      |  cell 0: entry (long)         |  offset 128
 *  +---------------------------------------------------------------+
 *  |  cell 1 ...                                                   |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>An entry packs a slot index (low {@link #SLOT_BITS} bits) and a request id (the rest), so
 * that one 8-byte store publishes both. Every field is host-writable: the trusted side treats
 * whatever it reads as a claim to be validated, never as a fact.
 */
public final class RingDescriptor {
  /** Offset of the producer position. */
  public static final int TAIL_OFFSET = 0;

  /** Offset of the consumer position. */
  public static final int HEAD_OFFSET = 64;

  /** Offset of the first cell. */
  public static final int CELLS_OFFSET = 128;

  /** Bytes per cell: sequence + entry. */
  public static final int CELL_BYTES = 16;

  /** Offset of the sequence within a cell. */
  public static final int CELL_SEQUENCE_OFFSET = 0;

  /** Offset of the entry within a cell. */
  public static final int CELL_ENTRY_OFFSET = 8;

  /** Bits of an entry that hold the slot index. */
  public static final int SLOT_BITS = 20;

  /** Mask of the slot index in an entry. */
  public static final long SLOT_MASK = (1L << SLOT_BITS) - 1;

  /** Largest request id an entry can carry. */
  public static final long MAX_REQUEST_ID = (1L << (63 - SLOT_BITS)) - 1;

  private RingDescriptor() {}

  /** Total bytes of a ring with {@code capacity} cells (a power of two). */
  public static long bytes(int capacity) {
    return CELLS_OFFSET + (long) capacity * CELL_BYTES;
  }

  /** The smallest power of two that is at least {@code n}. */
  public static int capacityFor(int n) {
    if (n < 1 || n > (1 << 30)) {
      throw new IllegalArgumentException("ring capacity out of range: " + n);
    }
    return n == 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
  }

  /** Packs a slot index and a request id into one entry. */
  public static long entry(int slot, long requestId) {
    return (requestId << SLOT_BITS) | slot;
  }

  /** The slot index of an entry (unvalidated). */
  public static int slot(long entry) {
    return (int) (entry & SLOT_MASK);
  }

  /** The request id of an entry (unvalidated). */
  public static long requestId(long entry) {
    return entry >>> SLOT_BITS;
  }
}
