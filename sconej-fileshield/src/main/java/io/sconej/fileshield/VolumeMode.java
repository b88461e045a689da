package io.sconej.fileshield;

/** The protection a volume (a region of kind encrypted or authenticated) gives its files. */
public enum VolumeMode {
  /** Confidentiality, integrity and freshness: chunks are AES-GCM ciphertext. */
  ENCRYPTED(1),
  /** Integrity and freshness only: chunks are stored as plaintext with an AES-GMAC tag. */
  AUTHENTICATED(2);

  private final int code;

  VolumeMode(int code) {
    this.code = code;
  }

  int code() {
    return code;
  }

  static VolumeMode fromCode(int code) {
    for (VolumeMode m : values()) {
      if (m.code == code) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown volume mode code " + code);
  }

  /** Parses "encrypted" or "authenticated". */
  public static VolumeMode parse(String s) {
    return switch (s) {
      case "encrypted" -> ENCRYPTED;
      case "authenticated" -> AUTHENTICATED;
      default ->
          throw new IllegalArgumentException(
              "unknown volume mode '" + s + "' (expected encrypted or authenticated)");
    };
  }
}
