package io.sconej.bench.fs;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The crypto limit: the JDK's AES-256-GCM (SunJCE) on the same bytes as the file workloads, in
 * memory, one thread, in pieces of a given size, each with its own 12-byte nonce and 16 bytes of
 * associated data (as a chunk format binds a chunk to its file and position). No I/O, no
 * metadata: no file system that seals every piece can be faster than this on one core.
 */
final class AesGcmLimit {
  private static final int TAG_BITS = 128;

  private final Pattern pattern;
  private final Cipher cipher;
  private final SecretKeySpec key;
  private final byte[] aad = new byte[16];
  private final byte[] nonce = new byte[12];
  private long counter;

  AesGcmLimit(Pattern pattern) throws GeneralSecurityException {
    this.pattern = pattern;
    this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
    byte[] k = new byte[32];
    for (int i = 0; i < k.length; i++) {
      k[i] = (byte) (i * 7 + 1); // bench-only key: the cost does not depend on its value
    }
    this.key = new SecretKeySpec(k, "AES");
  }

  /** Nanoseconds to fill and encrypt totalBytes of pattern content in pieces of pieceBytes. */
  long encrypt(long totalBytes, int pieceBytes) throws GeneralSecurityException {
    byte[] plain = new byte[Pattern.BLOCK_BYTES];
    ByteBuffer out = ByteBuffer.allocate(pieceBytes + 16);
    long start = System.nanoTime();
    for (long pos = 0; pos < totalBytes; pos += plain.length) {
      pattern.fill(plain, 0, pos, plain.length);
      for (int off = 0; off < plain.length; off += pieceBytes) {
        nextNonce();
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(aad);
        out.clear();
        cipher.doFinal(ByteBuffer.wrap(plain, off, pieceBytes), out);
      }
    }
    return System.nanoTime() - start;
  }

  /**
   * Nanoseconds to decrypt (and check, like the file reads) totalBytes in pieces of pieceBytes;
   * the ciphertext of one 1 MiB block is prepared first and decrypted repeatedly.
   */
  long decrypt(long totalBytes, int pieceBytes) throws GeneralSecurityException {
    int pieces = Pattern.BLOCK_BYTES / pieceBytes;
    byte[] plain = new byte[Pattern.BLOCK_BYTES];
    byte[] scratch = new byte[Pattern.BLOCK_BYTES];
    pattern.fill(plain, 0, 0, plain.length);
    byte[][] sealed = new byte[pieces][];
    byte[][] nonces = new byte[pieces][];
    for (int i = 0; i < pieces; i++) {
      nonces[i] = nextNonce().clone();
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonces[i]));
      cipher.updateAAD(aad);
      sealed[i] = cipher.doFinal(plain, i * pieceBytes, pieceBytes);
    }
    long start = System.nanoTime();
    for (long pos = 0; pos < totalBytes; pos += plain.length) {
      for (int i = 0; i < pieces; i++) {
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonces[i]));
        cipher.updateAAD(aad);
        cipher.doFinal(sealed[i], 0, sealed[i].length, plain, i * pieceBytes);
      }
      pattern.check(plain, scratch, 0, plain.length, "AES-GCM decrypt");
    }
    return System.nanoTime() - start;
  }

  private byte[] nextNonce() {
    long c = ++counter;
    for (int i = 0; i < 8; i++) {
      nonce[4 + i] = (byte) (c >>> (8 * i));
    }
    return nonce;
  }
}
