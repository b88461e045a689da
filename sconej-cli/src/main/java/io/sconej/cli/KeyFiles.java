package io.sconej.cli;

import io.sconej.crypto.Hex;
import io.sconej.crypto.InsecureSecretAccess;
import io.sconej.crypto.SecretBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

/** Reading and creating 256-bit key files: 64 hex characters, mode 0600. */
final class KeyFiles {
  private KeyFiles() {}

  /**
   * Reads a key file (a regular file of at most {@link CliFiles#KEY_FILE_MAX_BYTES}); every problem
   * is a usage error naming the file, never its content.
   */
  static SecretBytes read(Path file) throws CliException {
    byte[] raw = CliFiles.read(file, "key file", CliFiles.KEY_FILE_MAX_BYTES);
    String s = new String(raw, StandardCharsets.US_ASCII).strip();
    Arrays.fill(raw, (byte) 0);
    if (s.length() != 64) {
      throw CliException.usage("key file " + file + " must hold 64 hex characters, has "
          + s.length() + " characters");
    }
    try {
      byte[] k = Hex.decode(s, "key file " + file);
      try {
        return SecretBytes.copyOf(k);
      } finally {
        Arrays.fill(k, (byte) 0);
      }
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
  }

  /** Creates a fresh key file with mode 0600; refuses to overwrite. */
  static SecretBytes create(Path file) throws CliException {
    SecretBytes key = SecretBytes.random(32);
    byte[] k = key.bytes(InsecureSecretAccess.get());
    byte[] hex = (Hex.encode(k) + "\n").getBytes(StandardCharsets.US_ASCII);
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
      Files.write(file, hex);
    } catch (FileAlreadyExistsException e) {
      throw CliException.usage("key file " + file + " already exists (not overwritten)");
    } catch (java.nio.file.NoSuchFileException e) {
      throw CliException.usage("cannot create key file " + file + ": the directory does not exist");
    } catch (IOException e) {
      throw CliException.usage("cannot create key file " + file + ": " + e.getMessage());
    } finally {
      Arrays.fill(k, (byte) 0);
      Arrays.fill(hex, (byte) 0);
    }
    return key;
  }
}
