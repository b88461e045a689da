package io.sconej.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sconej.crypto.Hex;
import io.sconej.crypto.SecretBytes;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.crypto.Cipher;
import javax.crypto.KDF;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.HKDFParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The writer's bytes equal the layout of docs/formats/console.md, rebuilt here field by field with
 * JDK primitives only (fixed key and stream id), so that a format change cannot go unnoticed.
 */
class ConsoleFormatSpecTest {
  static final byte[] KEY =
      Hex.decode("000102030405060708090a0b0c0d0e0f" + "101112131415161718191a1b1c1d1e1f", "key");
  static final byte[] STREAM_ID = Hex.decode("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf", "id");

  static byte[] hkdf(String info) throws Exception {
    return KDF.getInstance("HKDF-SHA256")
        .deriveData(
            HKDFParameterSpec.ofExtract()
                .addIKM(KEY)
                .addSalt(STREAM_ID)
                .thenExpand(info.getBytes(StandardCharsets.US_ASCII), 32));
  }

  static byte[] record(byte[] key, byte[] headerPrefix, long seq, boolean end, String text)
      throws Exception {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    byte[] rh =
        ByteBuffer.allocate(13)
            .putInt(payload.length + 16)
            .putLong(seq)
            .put((byte) (end ? 1 : 0))
            .array();
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    byte[] nonce = ByteBuffer.allocate(12).putInt(0).putLong(seq).array();
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
    c.updateAAD(headerPrefix);
    c.updateAAD(rh);
    byte[] sealed = c.doFinal(payload);
    return ByteBuffer.allocate(13 + sealed.length).put(rh).put(sealed).array();
  }

  @Test
  void writerOutputMatchesTheDocumentedLayout() throws Exception {
    byte[] prefix =
        ByteBuffer.allocate(24)
            .put("SJCN".getBytes(StandardCharsets.US_ASCII))
            .put((byte) 1) // version
            .put((byte) 2) // kind: stderr
            .putShort((short) 0)
            .put(STREAM_ID)
            .array();
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(hkdf("sconej/v1/console/check"), "HmacSHA256"));
    byte[] recordKey = hkdf("sconej/v1/console/record");
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    ConsoleRecordWriter w =
        ConsoleRecordWriter.open(
            sink, SecretBytes.copyOf(KEY), ConsoleStreamKind.STDERR, 3, STREAM_ID.clone());
    w.write("hello\n".getBytes(StandardCharsets.UTF_8));
    w.write("world".getBytes(StandardCharsets.UTF_8));
    w.close();

    // Payload size 3: "hel", "lo\n", "wor" are sealed as they fill, "ld" goes into the END record.
    ByteArrayOutputStream exact = new ByteArrayOutputStream();
    exact.writeBytes(prefix);
    exact.writeBytes(mac.doFinal(prefix));
    exact.writeBytes(record(recordKey, prefix, 0, false, "hel"));
    exact.writeBytes(record(recordKey, prefix, 1, false, "lo\n"));
    exact.writeBytes(record(recordKey, prefix, 2, false, "wor"));
    exact.writeBytes(record(recordKey, prefix, 3, true, "ld"));
    assertEquals(Hex.encode(exact.toByteArray()), Hex.encode(sink.toByteArray()));
  }
}
