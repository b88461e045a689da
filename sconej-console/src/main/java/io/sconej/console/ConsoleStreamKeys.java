package io.sconej.console;

import io.sconej.crypto.Hkdf;
import io.sconej.crypto.InsecureSecretAccess;
import io.sconej.crypto.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The per-stream keys, derived with HKDF-SHA256 from the session's 32-byte console key, salt = the
 * stream id, info = a purpose label: {@code sconej/v1/console/check} (HMAC of the header) and
 * {@code sconej/v1/console/record} (AES-256-GCM of the records). A fresh random stream id per
 * stream gives each stream its own record key, so counter nonces never repeat under one key.
 */
final class ConsoleStreamKeys {
  private static final byte[] CHECK_INFO = label("sconej/v1/console/check");
  private static final byte[] RECORD_INFO = label("sconej/v1/console/record");

  private final SecretKeySpec checkKey;
  private final SecretKeySpec recordKey;

  private ConsoleStreamKeys(SecretKeySpec checkKey, SecretKeySpec recordKey) {
    this.checkKey = checkKey;
    this.recordKey = recordKey;
  }

  private static byte[] label(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Derives the keys of one stream.
   *
   * @throws IllegalArgumentException if the console key is not 32 bytes
   */
  static ConsoleStreamKeys derive(SecretBytes consoleKey, byte[] streamId)
      throws GeneralSecurityException {
    if (consoleKey.length() != 32) {
      throw new IllegalArgumentException(
          "console key must be 32 bytes, is " + consoleKey.length() + " bytes");
    }
    SecretBytes check = Hkdf.sha256(consoleKey, streamId, CHECK_INFO, 32);
    SecretBytes record = Hkdf.sha256(consoleKey, streamId, RECORD_INFO, 32);
    byte[] c = check.bytes(InsecureSecretAccess.get());
    byte[] r = record.bytes(InsecureSecretAccess.get());
    try {
      return new ConsoleStreamKeys(new SecretKeySpec(c, "HmacSHA256"), new SecretKeySpec(r, "AES"));
    } finally {
      Arrays.fill(c, (byte) 0);
      Arrays.fill(r, (byte) 0);
      check.destroy();
      record.destroy();
    }
  }

  /** HMAC-SHA256 over the header prefix (bytes 0..24). */
  byte[] headerMac(byte[] header) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(checkKey);
    mac.update(header, 0, ConsoleStreamDescriptor.HEADER_MAC_OFFSET);
    return mac.doFinal();
  }

  /** The AES-256-GCM key of the records. */
  SecretKeySpec recordKey() {
    return recordKey;
  }
}
