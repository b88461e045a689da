package io.sconej.cas;

import io.sconej.crypto.Rng;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The store key's sealing. SIM-MODE LIMITATION: the 256-bit key is kept in {@code store.key} (mode
 * 0600) next to the data, so anyone who can read that file (root on the host) can decrypt the
 * store. In a TEE the key would be sealed to the CAS's own measurement instead.
 */
final class StoreKey {
  static final String FILE = "store.key";

  private StoreKey() {}

  /** Loads the key, or creates it when the store is {@code fresh}. */
  static byte[] load(Path dir, boolean fresh) throws IOException {
    Path f = dir.resolve(FILE);
    if (fresh && !Files.exists(f)) {
      byte[] k = Rng.bytes(32);
      CasStore.writeAtomically(f, k);
      return k;
    }
    try {
      byte[] k = Files.readAllBytes(f);
      if (k.length != 32) {
        throw new StoreIntegrityException(f + " does not hold a 32-byte key");
      }
      return k;
    } catch (NoSuchFileException e) {
      throw new StoreIntegrityException(f + " is missing but the store exists");
    }
  }
}
