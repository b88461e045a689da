package io.sconej.bench.fs;

import java.nio.ByteBuffer;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Side measurement for docs/benchmarks-fs.md: SunJCE AES-256-GCM on 4 KiB pieces in the byte[]
 * form against the ByteBuffer forms that the volume uses (direct to heap for decryption, heap to
 * direct for encryption). Prints MB/s per form, 4 rounds of 1 GiB. Usage: no arguments.
 */
public final class GcmBufferForms {
  private static final int CS = 4096;
  private static long counter;

  private GcmBufferForms() {}

  private static void next(byte[] nonce) {
    long v = ++counter;
    for (int i = 0; i < 8; i++) {
      nonce[4 + i] = (byte) (v >>> (8 * i));
    }
  }

  /** Runs the measurement. */
  public static void main(String[] a) throws Exception {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    SecretKeySpec k = new SecretKeySpec(new byte[32], "AES");
    byte[] nonce = new byte[12];
    byte[] aad = new byte[48];
    byte[] plain = new byte[CS];
    c.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(128, nonce));
    c.updateAAD(aad);
    byte[] sealed = c.doFinal(plain);
    byte[] tag = java.util.Arrays.copyOfRange(sealed, CS, CS + 16);
    ByteBuffer directSealed = ByteBuffer.allocateDirect(CS + 16);
    directSealed.put(sealed).flip();
    ByteBuffer heapOut = ByteBuffer.allocate(CS + 16);
    ByteBuffer directOut = ByteBuffer.allocateDirect(CS + 16);
    long total = 1024L << 20;
    for (int round = 0; round < 4; round++) {
      long t = System.nanoTime();
      for (long n = 0; n < total; n += CS) {
        c.init(Cipher.DECRYPT_MODE, k, new GCMParameterSpec(128, nonce));
        c.updateAAD(aad);
        c.doFinal(sealed, 0, CS + 16, plain, 0);
      }
      report("decrypt arrays", t, total);
      t = System.nanoTime();
      for (long n = 0; n < total; n += CS) {
        c.init(Cipher.DECRYPT_MODE, k, new GCMParameterSpec(128, nonce));
        c.updateAAD(aad);
        heapOut.clear();
        c.update(directSealed.slice(0, CS), heapOut);
        c.doFinal(ByteBuffer.wrap(tag), heapOut);
      }
      report("decrypt direct->heap update+doFinal(tag) [volume]", t, total);
      t = System.nanoTime();
      for (long n = 0; n < total; n += CS) {
        next(nonce);
        c.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(128, nonce));
        c.updateAAD(aad);
        c.doFinal(plain, 0, CS, sealed, 0);
      }
      report("encrypt arrays", t, total);
      t = System.nanoTime();
      for (long n = 0; n < total; n += CS) {
        next(nonce);
        c.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(128, nonce));
        c.updateAAD(aad);
        directOut.clear();
        c.doFinal(ByteBuffer.wrap(plain), directOut);
      }
      report("encrypt heap->direct [volume]", t, total);
    }
  }
  private static void report(String what, long t, long bytes) {
    double s = (System.nanoTime() - t) / 1e9;
    System.out.printf("%-55s %8.0f MB/s%n", what, bytes / s / 1e6);
  }
}
