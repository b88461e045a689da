package io.sconej.bench.fs;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Deterministic benchmark content: the byte at any file position is a function of the position
 * alone, so every read (sequential or random) can be checked against the expected bytes.
 *
 * <p>The content is one random 1 MiB block repeated, with the first 8 bytes of each block XOR-ed
 * with the block index, so that blocks differ and a read of the wrong block is caught.
 */
final class Pattern {
  static final int BLOCK_BYTES = 1 << 20;

  private final byte[] base = new byte[BLOCK_BYTES];

  Pattern(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < base.length; i += 8) {
      long v = random.nextLong();
      for (int k = 0; k < 8; k++) {
        base[i + k] = (byte) (v >>> (8 * k));
      }
    }
  }

  /** Writes the expected bytes of file range [position, position + length) into dst. */
  void fill(byte[] dst, int dstOffset, long position, int length) {
    int done = 0;
    while (done < length) {
      long pos = position + done;
      long block = pos / BLOCK_BYTES;
      int inBlock = (int) (pos % BLOCK_BYTES);
      int n = Math.min(length - done, BLOCK_BYTES - inBlock);
      System.arraycopy(base, inBlock, dst, dstOffset + done, n);
      for (int k = inBlock; k < 8 && k < inBlock + n; k++) {
        dst[dstOffset + done + (k - inBlock)] = (byte) (base[k] ^ (block >>> (56 - 8 * k)));
      }
      done += n;
    }
  }

  /**
   * Checks that actual[0, length) holds the expected bytes at position, using scratch (at least
   * length bytes) for the expectation.
   *
   * @throws IllegalStateException naming the position when the bytes differ
   */
  void check(byte[] actual, byte[] scratch, long position, int length, String what) {
    fill(scratch, 0, position, length);
    int mismatch = Arrays.mismatch(actual, 0, length, scratch, 0, length);
    if (mismatch >= 0) {
      throw new IllegalStateException(
          what + ": wrong byte read at position " + (position + mismatch));
    }
  }
}
