package io.sconej.crypto;

import java.security.MessageDigest;

/** Comparisons of MACs, tags and digests that take time independent of where they differ. */
public final class ConstantTime {
  private ConstantTime() {}

  /** True iff both arrays have the same length and content; time depends only on the lengths. */
  public static boolean equal(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }
}
