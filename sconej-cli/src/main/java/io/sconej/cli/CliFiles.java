package io.sconej.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reading the small files the CLI takes as input (key files, policies, certificates, identities,
 * collateral). Each is accepted only as a regular file (not a FIFO, device, socket or directory:
 * reading those could hang or never end) of at most a documented size, and at most limit + 1 bytes
 * are ever read. Every problem is a usage error (exit 2) naming the file, never its content.
 */
final class CliFiles {
  /** A 256-bit key file: 64 hex characters and a line end; room for stray whitespace. */
  static final int KEY_FILE_MAX_BYTES = 1024;

  /** A PEM certificate, identity (key and certificate) or platform file. */
  static final int PEM_MAX_BYTES = 64 * 1024;

  /** A session policy (the CAS itself takes at most 256 KiB). */
  static final int POLICY_MAX_BYTES = 1024 * 1024;

  /** A DCAP collateral file (dcap-qvl JSON: TCB info, QE identity, CRLs). */
  static final int COLLATERAL_MAX_BYTES = 4 * 1024 * 1024;

  private CliFiles() {}

  /** Checks that {@code file} is a regular file (symbolic links followed) of at most max bytes. */
  static void check(Path file, String what, int maxBytes) throws CliException {
    if (!Files.exists(file)) {
      throw CliException.usage(what + " " + file + " does not exist");
    }
    if (Files.isDirectory(file)) {
      throw CliException.usage(what + " " + file + " is a directory, not a file");
    }
    if (!Files.isRegularFile(file)) {
      throw CliException.usage(
          what + " " + file + " is not a regular file (a FIFO, device or socket is refused)");
    }
    try {
      if (Files.size(file) > maxBytes) {
        throw tooLarge(file, what, maxBytes);
      }
    } catch (IOException e) {
      throw cannotRead(file, what, e);
    }
  }

  /** The bytes of a regular file of at most {@code maxBytes}; see {@link #check}. */
  static byte[] read(Path file, String what, int maxBytes) throws CliException {
    check(file, what, maxBytes);
    byte[] b;
    try (InputStream in = Files.newInputStream(file)) {
      b = in.readNBytes(maxBytes + 1);
    } catch (IOException e) {
      throw cannotRead(file, what, e);
    }
    if (b.length > maxBytes) {
      Arrays.fill(b, (byte) 0);
      throw tooLarge(file, what, maxBytes);
    }
    return b;
  }

  /** As {@link #read}, decoded as UTF-8. */
  static String readString(Path file, String what, int maxBytes) throws CliException {
    return new String(read(file, what, maxBytes), StandardCharsets.UTF_8);
  }

  /** Checks that {@code dir} is an existing directory (not a file, not missing). */
  static void checkDirectory(Path dir, String what) throws CliException {
    if (!Files.exists(dir)) {
      throw CliException.usage(what + " " + dir + " does not exist");
    }
    if (!Files.isDirectory(dir)) {
      throw CliException.usage(what + " " + dir + " is not a directory");
    }
  }

  /** Whether {@code p} exists without following a final symbolic link. */
  static boolean existsNoFollow(Path p) {
    return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
  }

  private static CliException tooLarge(Path file, String what, int maxBytes) {
    return CliException.usage(
        what + " " + file + " is larger than the limit of " + maxBytes + " bytes");
  }

  private static CliException cannotRead(Path file, String what, IOException e) {
    String why = e instanceof AccessDeniedException ? "permission denied" : e.getMessage();
    return CliException.usage("cannot read " + what + " " + file + ": " + why);
  }
}
