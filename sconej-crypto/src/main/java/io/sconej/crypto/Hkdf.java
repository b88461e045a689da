package io.sconej.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.KDF;
import javax.crypto.SecretKey;
import javax.crypto.spec.HKDFParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** HKDF-SHA256 (RFC 5869) through the JDK's {@code javax.crypto.KDF} (JEP 510). */
public final class Hkdf {
  private Hkdf() {}

  /**
   * Extract-then-expand: derives {@code lengthBytes} of key material from {@code ikm}.
   *
   * @param salt may be empty
   * @param info context binding the output to its purpose; distinct purposes use distinct infos
   */
  public static SecretBytes sha256(SecretBytes ikm, byte[] salt, byte[] info, int lengthBytes)
      throws GeneralSecurityException {
    KDF kdf = KDF.getInstance("HKDF-SHA256");
    byte[] raw = ikm.bytes(InsecureSecretAccess.get());
    try {
      var builder = HKDFParameterSpec.ofExtract().addIKM(new SecretKeySpec(raw, "HKDF-IKM"));
      if (salt.length > 0) {
        builder = builder.addSalt(salt);
      }
      SecretKey k = kdf.deriveKey("AES", builder.thenExpand(info, lengthBytes));
      byte[] out = k.getEncoded();
      try {
        return SecretBytes.copyOf(out);
      } finally {
        java.util.Arrays.fill(out, (byte) 0);
      }
    } finally {
      java.util.Arrays.fill(raw, (byte) 0);
    }
  }
}
