package io.sconej.fileshield;

import io.sconej.crypto.Rng;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Nonces for AES-GCM chunk encryption under one file key: an 8-byte random epoch drawn when the
 * sequence is created (once per opened volume and file) followed by a 4-byte counter. The counter
 * lives only in memory, so a crash can never make it repeat: the next open draws a fresh epoch.
 * When the counter is exhausted a new epoch is drawn. Two epochs collide with probability 2^-64.
 * Callers never choose nonces.
 */
final class NonceSequence {
  private static final long COUNTER_LIMIT = 1L << 32;
  private volatile long epoch = Rng.secure().nextLong();
  private final AtomicLong counter = new AtomicLong();

  /** Writes the next fresh 12-byte nonce into {@code dst} at {@code offset}. */
  void next(byte[] dst, int offset) {
    long c;
    long e;
    synchronized (this) {
      c = counter.getAndIncrement();
      if (c >= COUNTER_LIMIT) {
        epoch = Rng.secure().nextLong();
        counter.set(1);
        c = 0;
      }
      e = epoch;
    }
    ByteBuffer.wrap(dst, offset, 12).putLong(e).putInt((int) c);
  }
}
