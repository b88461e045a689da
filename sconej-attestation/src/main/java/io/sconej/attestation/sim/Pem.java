package io.sconej.attestation.sim;

import io.sconej.crypto.SmallFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Reads the sim platform's one-object PEM files (armour: {@link io.sconej.crypto.Pem}). */
final class Pem {
  private Pem() {}

  static String encode(String label, byte[] der) {
    return io.sconej.crypto.Pem.encode(label, der);
  }

  /**
   * Reads the first object of {@code label} from a PEM file: a regular file of at most {@link
   * SimPlatform#MAX_FILE_BYTES} ({@link SmallFiles}: never a FIFO or a device, which could block or
   * never end).
   *
   * @param what what the file is, for messages ({@code "platform key"})
   * @throws IOException naming the file if it is missing, not a regular file, too large, or has no
   *     such object or bad base64
   */
  static byte[] read(Path file, String what, String label) throws IOException {
    String text =
        new String(
            SmallFiles.read(file, what, SimPlatform.MAX_FILE_BYTES), StandardCharsets.US_ASCII);
    List<byte[]> ders;
    try {
      ders = io.sconej.crypto.Pem.decode(text, label);
    } catch (IllegalArgumentException ex) {
      throw new IOException(file + ": " + ex.getMessage(), ex);
    }
    if (ders.isEmpty()) {
      throw new IOException(file + ": no PEM " + label + " found");
    }
    return ders.get(0);
  }
}
