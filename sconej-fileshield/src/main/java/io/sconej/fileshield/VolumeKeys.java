package io.sconej.fileshield;

import io.sconej.crypto.Hkdf;
import io.sconej.crypto.InsecureSecretAccess;
import io.sconej.crypto.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key schedule of a volume. Every key is HKDF-SHA256 of the 32-byte volume key with the
 * volume id as salt and a purpose label as info:
 *
 * <pre>
 * checkKey    = HKDF(K, volumeId, "sconej/v1/check")     HMAC key of the header's key check
 * manifestKey = HKDF(K, volumeId, "sconej/v1/manifest")  AES-256-GCM key of checkpoint and journal
 * tagKey      = HKDF(K, volumeId, "sconej/v1/tag")       HMAC key of the volume tag
 * fileKey(id) = HKDF(K, volumeId, "sconej/v1/file" || id) AES-256-GCM key of one file's chunks
 * </pre>
 */
final class VolumeKeys {
  private final SecretBytes master;
  private final byte[] volumeId;
  private final SecretKeySpec checkKey;
  private final SecretKeySpec manifestKey;
  private final SecretKeySpec tagKey;

  VolumeKeys(SecretBytes master, byte[] volumeId) {
    if (master.length() != 32) {
      throw new IllegalArgumentException("a volume key has 32 bytes, not " + master.length());
    }
    byte[] raw = master.bytes(InsecureSecretAccess.get());
    this.master = SecretBytes.copyOf(raw); // the caller may destroy its copy
    Arrays.fill(raw, (byte) 0);
    this.volumeId = volumeId.clone();
    this.checkKey = derive("sconej/v1/check", null, "HmacSHA256");
    this.manifestKey = derive("sconej/v1/manifest", null, "AES");
    this.tagKey = derive("sconej/v1/tag", null, "HmacSHA256");
  }

  /** Wraps a JDK crypto failure, which means a broken JDK, never bad input. */
  static final class CryptoFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CryptoFailure(Throwable cause) {
      super("JDK crypto failure: " + cause, cause);
    }
  }

  private SecretKeySpec derive(String label, byte[] suffix, String alg) {
    byte[] l = label.getBytes(StandardCharsets.US_ASCII);
    byte[] info = suffix == null ? l : concat(l, suffix);
    try {
      SecretBytes k = Hkdf.sha256(master, volumeId, info, 32);
      byte[] raw = k.bytes(InsecureSecretAccess.get());
      try {
        return new SecretKeySpec(raw, alg);
      } finally {
        Arrays.fill(raw, (byte) 0);
        k.destroy();
      }
    } catch (GeneralSecurityException e) {
      throw new CryptoFailure(e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  SecretKeySpec fileKey(byte[] fileId) {
    return derive("sconej/v1/file", fileId, "AES");
  }

  SecretKeySpec manifestKey() {
    return manifestKey;
  }

  byte[] checkMac(byte[] data) {
    return hmac(checkKey, data);
  }

  byte[] tagMac(byte[] data) {
    return hmac(tagKey, data);
  }

  private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(() -> {
    try {
      return Mac.getInstance("HmacSHA256");
    } catch (NoSuchAlgorithmException e) {
      throw new CryptoFailure(e);
    }
  });

  private static byte[] hmac(SecretKeySpec key, byte[] data) {
    try {
      Mac m = HMAC.get();
      m.init(key);
      return m.doFinal(data);
    } catch (InvalidKeyException e) {
      throw new CryptoFailure(e);
    }
  }
}
