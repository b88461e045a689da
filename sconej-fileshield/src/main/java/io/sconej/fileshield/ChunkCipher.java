package io.sconej.fileshield;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM sealing of one chunk, with the tag kept out of band (in the file's chunk table).
 *
 * <p>Associated data binds a chunk to its volume, file, position and length:
 *
 * <pre>
 * aad = "SJC1" || volumeId[16] || fileId[16] || u64be(chunkIndex) || u32be(length)
 * </pre>
 *
 * In {@link VolumeMode#ENCRYPTED} the chunk is ciphertext; in {@link VolumeMode#AUTHENTICATED} it
 * stays plaintext and the tag is a GMAC over {@code aad || plaintext}.
 */
final class ChunkCipher {
  static final int TAG_BYTES = 16;
  static final int NONCE_BYTES = 12;
  private static final ThreadLocal<Cipher> CIPHER =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("AES-GCM missing from the JDK", e);
            }
          });
  private static final ThreadLocal<byte[]> AAD = ThreadLocal.withInitial(() -> new byte[48]);

  private final boolean encrypt;
  private final byte[] volumeId;

  ChunkCipher(VolumeMode mode, byte[] volumeId) {
    this.encrypt = mode == VolumeMode.ENCRYPTED;
    this.volumeId = volumeId.clone();
  }

  private byte[] aad(byte[] fileId, long chunk, int length) {
    byte[] a = AAD.get();
    ByteBuffer b = ByteBuffer.wrap(a);
    b.put((byte) 'S').put((byte) 'J').put((byte) 'C').put((byte) '1');
    b.put(volumeId).put(fileId).putLong(chunk).putInt(length);
    return a;
  }

  /**
   * Seals {@code length} bytes of {@code plain} (from its position) into {@code out} at its
   * position; {@code out} must have {@code length + 16} bytes of room, of which the last 16 (the
   * tag) are copied to {@code tagOut} and may then be overwritten by the caller.
   */
  void seal(SecretKeySpec key, byte[] nonce, byte[] fileId, long chunk, ByteBuffer plain,
      int length, ByteBuffer out, byte[] tagOut, int tagOff) throws GeneralSecurityException {
    Cipher c = CIPHER.get();
    c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce, 0, NONCE_BYTES));
    c.updateAAD(aad(fileId, chunk, length));
    ByteBuffer in = plain.slice(plain.position(), length);
    int start = out.position();
    if (encrypt) {
      c.doFinal(in, out);
    } else {
      c.updateAAD(in.duplicate());
      out.put(in);
      c.doFinal(ByteBuffer.allocate(0), out);
    }
    out.get(start + length, tagOut, tagOff, TAG_BYTES);
    out.position(start + length);
  }

  /**
   * Opens a chunk: {@code sealed[off..off+len)} with the tag from the chunk table. The 16 bytes
   * after the chunk are borrowed for the tag and restored before returning, so {@code sealed} needs
   * 16 bytes of room past the chunk. Leaves the plaintext in {@code out[outOff..outOff+len)} only
   * if it authenticates ({@code out} must not overlap {@code sealed}).
   *
   * @param entry the chunk table entry: nonce at 0, tag at 12
   * @return false if it does not authenticate ({@code out[outOff..outOff+len)} is then zeroed)
   */
  boolean open(SecretKeySpec key, byte[] entry, byte[] fileId, long chunk, byte[] sealed,
      int off, int len, byte[] out, int outOff) throws GeneralSecurityException {
    Cipher c = CIPHER.get();
    c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, entry, 0, NONCE_BYTES));
    c.updateAAD(aad(fileId, chunk, len));
    byte[] saved = SAVED.get();
    System.arraycopy(sealed, off + len, saved, 0, TAG_BYTES);
    System.arraycopy(entry, NONCE_BYTES, sealed, off + len, TAG_BYTES);
    try {
      if (encrypt) {
        c.doFinal(sealed, off, len + TAG_BYTES, out, outOff);
      } else {
        c.updateAAD(sealed, off, len);
        c.doFinal(sealed, off + len, TAG_BYTES, out, outOff);
        System.arraycopy(sealed, off, out, outOff, len);
      }
      return true;
    } catch (AEADBadTagException e) {
      java.util.Arrays.fill(out, outOff, outOff + len, (byte) 0);
      return false;
    } finally {
      System.arraycopy(saved, 0, sealed, off + len, TAG_BYTES);
    }
  }

  private static final ThreadLocal<byte[]> SAVED = ThreadLocal.withInitial(() -> new byte[16]);
}
