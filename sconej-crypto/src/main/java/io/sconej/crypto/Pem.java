package io.sconej.crypto;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * PEM armour: {@code -----BEGIN LABEL-----}, base64 in 64-column lines, {@code -----END
 * LABEL-----}. The one implementation behind the sim platform files, the CAS client's
 * certificates and keys, and the CLI.
 */
public final class Pem {
  private Pem() {}

  /** Encodes DER as one PEM block with the given label ("CERTIFICATE", "PRIVATE KEY"). */
  public static String encode(String label, byte[] der) {
    return "-----BEGIN "
        + label
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + label
        + "-----\n";
  }

  /**
   * The DER contents of every block labelled {@code label} in {@code text}, in order (empty if
   * there is none).
   *
   * @throws IllegalArgumentException naming the label, for an unterminated block or bad base64
   */
  public static List<byte[]> decode(String text, String label) {
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    List<byte[]> out = new ArrayList<>();
    int from = 0;
    while (true) {
      int b = text.indexOf(begin, from);
      if (b < 0) {
        return out;
      }
      int e = text.indexOf(end, b);
      if (e < 0) {
        throw new IllegalArgumentException("unterminated PEM block " + label);
      }
      try {
        out.add(Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e)));
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException("PEM block " + label + " is not valid base64");
      }
      from = e + end.length();
    }
  }
}
