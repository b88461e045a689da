package io.sconej.fileshield;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small pool of I/O buffers (a direct batch buffer for host transfers and a heap buffer for one
 * chunk of plaintext), so that many virtual threads do not each hold their own.
 */
final class Buffers {
  static final int BATCH_BYTES = 256 * 1024;
  private static final int POOL_MAX = 64;
  private static final ConcurrentLinkedQueue<Lease> POOL = new ConcurrentLinkedQueue<>();
  private static final AtomicInteger POOLED = new AtomicInteger();

  private Buffers() {}

  /** A set of buffers; release after use (the plaintext buffer is zeroed on release). */
  static final class Lease {
    private final ByteBuffer batch;
    private final ByteBuffer sealed;
    private final ByteBuffer plain;
    private boolean plainUsed;

    private Lease(int chunk) {
      this.batch = ByteBuffer.allocateDirect(Math.max(BATCH_BYTES, chunk) + 16);
      this.sealed = ByteBuffer.allocate(Math.max(BATCH_BYTES, chunk) + 16);
      this.plain = ByteBuffer.allocate(chunk);
    }

    /** Direct buffer for sealing runs of chunks before a host write. */
    ByteBuffer batch() {
      return batch;
    }

    /** Heap buffer for runs of sealed chunks read from the host (16 bytes of slack). */
    ByteBuffer sealed() {
      return sealed;
    }

    /** Heap buffer for one chunk of plaintext (zeroed on release if it was handed out). */
    ByteBuffer plain() {
      plainUsed = true;
      return plain;
    }

    void release() {
      if (plainUsed) {
        java.util.Arrays.fill(plain.array(), (byte) 0);
        plainUsed = false;
      }
      plain.clear();
      batch.clear();
      sealed.clear();
      if (POOLED.incrementAndGet() <= POOL_MAX) {
        POOL.offer(this);
      } else {
        POOLED.decrementAndGet();
      }
    }
  }

  static Lease acquire(int chunk) {
    Lease l;
    while ((l = POOL.poll()) != null) {
      POOLED.decrementAndGet();
      if (l.plain.capacity() == chunk) {
        return l;
      }
    }
    return new Lease(chunk);
  }
}
