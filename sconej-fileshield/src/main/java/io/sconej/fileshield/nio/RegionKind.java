package io.sconej.fileshield.nio;

import java.util.Locale;

/** What a region of the default file system does with the files under its prefix. */
public enum RegionKind {
  /** Confidentiality, integrity and freshness: a volume in {@code ENCRYPTED} mode. */
  ENCRYPTED,
  /** Integrity and freshness, plaintext readable on the host: {@code AUTHENTICATED} mode. */
  AUTHENTICATED,
  /** Pass-through to the host file system, unprotected. */
  UNPROTECTED,
  /**
   * In-enclave memory only, gone at exit. Not implemented yet: a region of this kind refuses every
   * access with an {@link java.io.IOException} saying so.
   */
  EPHEMERAL;

  /** Parses {@code encrypted|authenticated|unprotected|ephemeral}, case-insensitively. */
  public static RegionKind parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown region kind '" + s + "' (encrypted|authenticated|unprotected|ephemeral)", e);
    }
  }
}
