package io.sconej.crypto;

import java.util.HexFormat;

/** Lower-case hex encoding and strict decoding with errors that name what was wrong. */
public final class Hex {
  private static final HexFormat FORMAT = HexFormat.of();

  private Hex() {}

  /** Encodes bytes as lower-case hex. */
  public static String encode(byte[] bytes) {
    return FORMAT.formatHex(bytes);
  }

  /**
   * Decodes hex (either case), refusing odd lengths and non-hex characters.
   *
   * @param what a name for the value used in the error message, e.g. "volume tag"
   * @throws IllegalArgumentException naming {@code what} and the problem, never echoing the input
   */
  public static byte[] decode(String hex, String what) {
    String s = hex.strip();
    if (s.length() % 2 != 0) {
      throw new IllegalArgumentException(what + ": odd number of hex digits (" + s.length() + ")");
    }
    for (int i = 0; i < s.length(); i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        throw new IllegalArgumentException(what + ": not a hex digit at position " + i);
      }
    }
    return FORMAT.parseHex(s);
  }
}
