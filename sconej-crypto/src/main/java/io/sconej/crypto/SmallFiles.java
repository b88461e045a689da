package io.sconej.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reading the small input files of the CLI and the enclave (key files, certificates, policies, the
 * sim platform's PEM files): JDK only, for both sides.
 *
 * <p>Guarantees: a file is read only if it is a regular file (symbolic links followed): a FIFO, a
 * device such as {@code /dev/zero}, a socket or a directory is refused before it is opened, so a
 * read can neither block forever nor run out of memory; at most {@code maxBytes + 1} bytes are ever
 * read, so a file that grows after the check is still refused. Every refusal is an {@link
 * IOException} whose message is one line naming what the file is for and its path, never its
 * content.
 *
 * <p>Restrictions: the check and the open are two steps; a file swapped for a FIFO in between makes
 * the open block (only the file's owner can do that, and the host can stop the process anyway).
 */
public final class SmallFiles {
  private SmallFiles() {}

  /**
   * Checks that {@code file} exists, is a regular file and holds at most {@code maxBytes}.
   *
   * @param what what the file is for, e.g. {@code "key file"} or {@code "--cas-ca"}
   * @throws NoSuchFileException if it does not exist (message: {@code WHAT FILE does not exist})
   * @throws IOException naming the file if it is a directory, not a regular file or too large
   */
  public static void check(Path file, String what, int maxBytes) throws IOException {
    if (!Files.exists(file)) {
      throw new Missing(file, what + " " + file + " does not exist");
    }
    if (Files.isDirectory(file)) {
      throw new Refused(what + " " + file + " is a directory, not a file");
    }
    if (!Files.isRegularFile(file)) {
      throw new Refused(
          what + " " + file + " is not a regular file (a FIFO, device or socket is refused)");
    }
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw cannotRead(file, what, e);
    }
    if (size > maxBytes) {
      throw tooLarge(file, what, maxBytes);
    }
  }

  /**
   * The bytes of a regular file of at most {@code maxBytes} (see {@link #check}). The caller owns
   * the array (and clears it if it holds a secret).
   */
  public static byte[] read(Path file, String what, int maxBytes) throws IOException {
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

  private static IOException tooLarge(Path file, String what, int maxBytes) {
    return new Refused(what + " " + file + " is larger than the limit of " + maxBytes + " bytes");
  }

  private static IOException cannotRead(Path file, String what, IOException e) {
    String why = e instanceof AccessDeniedException ? "permission denied" : e.getMessage();
    return new Refused("cannot read " + what + " " + file + ": " + why);
  }

  /** A refused file; {@link #getMessage()} is the whole one-line message. */
  private static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  /** A missing file: {@link #getFile()} is its path, {@link #getMessage()} the one line. */
  private static final class Missing extends NoSuchFileException {
    private static final long serialVersionUID = 1L;
    private final String message;

    Missing(Path file, String message) {
      super(file.toString());
      this.message = message;
    }

    @Override
    public String getMessage() {
      return message;
    }
  }
}
