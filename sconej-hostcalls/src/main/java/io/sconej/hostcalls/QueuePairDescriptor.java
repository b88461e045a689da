package io.sconej.hostcalls;

/**
 * Layout of one queue pair in untrusted off-heap memory: a header, the request ring (trusted side
 * produces, sthreads consume), the response ring (sthreads produce, trusted side consumes) and
 * the slots whose indices travel through the rings.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |  sleeping sthreads (int) | padding to 64 bytes                |  offset 0
 *  +---------------------------------------------------------------+
 *  |  request ring   (RingDescriptor, capacity = ringCapacity(slots)) |  offset 64
 *  +---------------------------------------------------------------+
 *  |  response ring  (RingDescriptor, same capacity)                |
 *  +---------------------------------------------------------------+
 *  |  slot 0 (SlotDescriptor) | slot 1 | ... | slot slots-1         |
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class QueuePairDescriptor {
  /** Offset of the count of sthreads that are about to sleep or sleep (host-written hint). */
  public static final int SLEEPERS_OFFSET = 0;

  /** Offset of the request ring. */
  public static final int REQUEST_RING_OFFSET = 64;

  private QueuePairDescriptor() {}

  /** Offset of the response ring. */
  public static long responseRingOffset(int ringCapacity) {
    return REQUEST_RING_OFFSET + RingDescriptor.bytes(ringCapacity);
  }

  /** Offset of the first slot. */
  public static long slotsOffset(int ringCapacity) {
    return responseRingOffset(ringCapacity) + RingDescriptor.bytes(ringCapacity);
  }

  /**
   * Cells per ring: twice the slots, rounded up to a power of two, so that a consumer stalled
   * between taking a cell and releasing it never makes the ring look full.
   */
  public static int ringCapacity(int slots) {
    return RingDescriptor.capacityFor(2 * slots);
  }

  /** Total bytes of a queue pair. */
  public static long bytes(int slots, int bufferBytes) {
    int cap = ringCapacity(slots);
    return slotsOffset(cap) + slots * SlotDescriptor.stride(bufferBytes);
  }
}
