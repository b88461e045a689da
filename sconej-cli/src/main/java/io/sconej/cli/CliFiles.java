package io.sconej.cli;

import io.sconej.crypto.SmallFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Reading the small files the CLI takes as input (key files, policies, certificates, identities,
 * collateral) through {@link SmallFiles}, the enclave's reader too. Each is accepted only as a
 * regular file (not a FIFO, device, socket or directory: reading those could hang or never end) of
 * at most a documented size, and at most limit + 1 bytes are ever read. Every problem is a usage
 * error (exit 2) naming the file, never its content.
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
    try {
      SmallFiles.check(file, what, maxBytes);
    } catch (IOException e) {
      throw CliException.usage(e.getMessage());
    }
  }

  /** The bytes of a regular file of at most {@code maxBytes}; see {@link SmallFiles#read}. */
  static byte[] read(Path file, String what, int maxBytes) throws CliException {
    try {
      return SmallFiles.read(file, what, maxBytes);
    } catch (IOException e) {
      throw CliException.usage(e.getMessage());
    }
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
}
