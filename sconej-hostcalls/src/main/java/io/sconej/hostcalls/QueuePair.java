package io.sconej.hostcalls;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Typed access to one queue pair laid out by {@link QueuePairDescriptor} in untrusted memory,
 * used by both sides. It holds no trusted state: anything read through it may have been written
 * by the host.
 */
final class QueuePair {
  private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
  private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

  final int index;
  final int slots;
  final int bufferBytes;
  final OffHeapRing requests;
  final OffHeapRing responses;
  private final MemorySegment header;
  private final MemorySegment slotArea;
  private final long stride;

  QueuePair(int index, MemorySegment segment, int slots, int bufferBytes) {
    this.index = index;
    this.slots = slots;
    this.bufferBytes = bufferBytes;
    int cap = QueuePairDescriptor.ringCapacity(slots);
    this.header = segment.asSlice(0, QueuePairDescriptor.REQUEST_RING_OFFSET);
    this.requests =
        new OffHeapRing(
            segment.asSlice(QueuePairDescriptor.REQUEST_RING_OFFSET, RingDescriptor.bytes(cap)),
            cap);
    this.responses =
        new OffHeapRing(
            segment.asSlice(
                QueuePairDescriptor.responseRingOffset(cap), RingDescriptor.bytes(cap)),
            cap);
    this.stride = SlotDescriptor.stride(bufferBytes);
    this.slotArea = segment.asSlice(QueuePairDescriptor.slotsOffset(cap), slots * stride);
  }

  void format() {
    requests.format();
    responses.format();
    INT.setVolatile(header, (long) QueuePairDescriptor.SLEEPERS_OFFSET, 0);
  }

  /** The whole slot (header and buffer); bounds-checked by the segment. */
  MemorySegment slot(int slot) {
    return slotArea.asSlice(slot * stride, stride);
  }

  /** The data buffer of a slot. */
  MemorySegment data(int slot) {
    return slotArea.asSlice(slot * stride + SlotDescriptor.DATA_OFFSET, bufferBytes);
  }

  int sleepers() {
    return (int) INT.getVolatile(header, (long) QueuePairDescriptor.SLEEPERS_OFFSET);
  }

  void addSleepers(int delta) {
    INT.getAndAdd(header, (long) QueuePairDescriptor.SLEEPERS_OFFSET, delta);
  }

  static long getLong(MemorySegment slot, int offset) {
    return (long) LONG.get(slot, (long) offset);
  }

  static long getLongAcquire(MemorySegment slot, int offset) {
    return (long) LONG.getAcquire(slot, (long) offset);
  }

  static int getInt(MemorySegment slot, int offset) {
    return (int) INT.get(slot, (long) offset);
  }

  static void setLong(MemorySegment slot, int offset, long v) {
    LONG.set(slot, (long) offset, v);
  }

  static void setLongRelease(MemorySegment slot, int offset, long v) {
    LONG.setRelease(slot, (long) offset, v);
  }

  static void setInt(MemorySegment slot, int offset, int v) {
    INT.set(slot, (long) offset, v);
  }
}
