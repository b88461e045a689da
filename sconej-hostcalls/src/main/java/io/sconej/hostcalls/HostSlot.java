package io.sconej.hostcalls;

import java.lang.foreign.MemorySegment;

/**
 * The host's (sthread's) view of one posted request: what the trusted side asked for, and the
 * means to answer. Everything here lives in untrusted memory; a {@link HostExecutor} may answer
 * honestly through {@link #respond} or, in tests of a hostile host, write any response it likes
 * through {@link #writeResponse} and {@link #post}.
 */
public final class HostSlot {
  private final QueuePair queue;
  private final int slot;
  private final long postedId;
  private final MemorySegment header;
  private final Doorbell doorbell;
  private static final int POST_RETRIES = 100_000;
  private boolean answered;

  HostSlot(QueuePair queue, int slot, long postedId, Doorbell doorbell) {
    this.queue = queue;
    this.slot = slot;
    this.postedId = postedId;
    this.header = queue.slot(slot);
    this.doorbell = doorbell;
  }

  /** Index of the slot within its queue pair. */
  public int slotIndex() {
    return slot;
  }

  /** The request id posted in the request ring (the one an honest response repeats). */
  public long requestId() {
    return postedId;
  }

  /** The operation asked for; {@link HostOp#NONE} if the code is unknown. */
  public HostOp op() {
    return HostOp.of(QueuePair.getInt(header, SlotDescriptor.OPCODE_OFFSET));
  }

  /** Argument {@code i} (0, 1 or 2). */
  public long arg(int i) {
    return QueuePair.getLong(header, SlotDescriptor.ARG0_OFFSET + 8 * i);
  }

  /** Bytes of request data in the buffer, as claimed by the request. */
  public int requestLength() {
    return QueuePair.getInt(header, SlotDescriptor.REQUEST_LENGTH_OFFSET);
  }

  /** The slot's data buffer, its full capacity. */
  public MemorySegment data() {
    return queue.data(slot);
  }

  /** Capacity of the data buffer in bytes. */
  public int bufferBytes() {
    return queue.bufferBytes;
  }

  /** Answers honestly: writes the response fields with this request's id and posts it. */
  public void respond(long result, HostError error, int length) {
    writeResponse(postedId, result, error.code(), length);
    post(slot, postedId);
  }

  /** Writes the response fields of this slot, whatever they are (a hostile host may lie). */
  public void writeResponse(long responseId, long result, int errorCode, int length) {
    QueuePair.setLong(header, SlotDescriptor.RESULT_OFFSET, result);
    QueuePair.setInt(header, SlotDescriptor.ERROR_OFFSET, errorCode);
    QueuePair.setInt(header, SlotDescriptor.RESPONSE_LENGTH_OFFSET, length);
    QueuePair.setLongRelease(header, SlotDescriptor.RESPONSE_ID_OFFSET, responseId);
  }

  /**
   * Posts a response entry naming {@code slotIndex} and {@code id} into the response ring and
   * rings the trusted side's doorbell; false if the ring refused it (full).
   */
  public boolean post(int slotIndex, long id) {
    answered = true;
    long entry = RingDescriptor.entry(slotIndex & (int) RingDescriptor.SLOT_MASK, id);
    boolean ok = queue.responses.offer(entry);
    for (int i = 0; !ok && i < POST_RETRIES; i++) {
      Thread.yield(); // a consumer stalled mid-poll holds a cell: give it time
      ok = queue.responses.offer(entry);
    }
    doorbell.ring(queue.index, slotIndex);
    return ok;
  }

  /** True once something was posted for this request. */
  boolean answered() {
    return answered;
  }

  /**
   * The wake-up the host gives the trusted side after posting a response: in SGX terms an
   * untrusted notification; it carries no data and the trusted side trusts none.
   */
  interface Doorbell {
    void ring(int queue, int slot);
  }
}
