package io.sconej.hostcalls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The one boundary through which the trusted runtime asks the untrusted host for I/O.
 *
 * <p>Everything an implementation returns is host-controlled and must be treated as hostile:
 * callers inside the trust boundary never use an implementation directly but through {@link
 * CheckedHostCalls}, which applies the Iago checks of {@link IagoChecks} to every result, the
 * same checks whichever implementation (synchronous or asynchronous) is underneath.
 *
 * <p>Files are named by absolute host path strings and open files by opaque handles. The host
 * only ever sees ciphertext or data the policy declares unprotected.
 */
public interface HostCalls extends AutoCloseable {

  /** Open flags, OR-ed together. */
  int READ = 1;

  /** Open for writing. */
  int WRITE = 2;

  /** Create if missing. */
  int CREATE = 4;

  /** Fail if it exists. */
  int CREATE_NEW = 8;

  /** Truncate to zero on open. */
  int TRUNCATE = 16;

  /**
   * With {@link #WRITE}: take an exclusive advisory lock (an OS file lock) on the whole file for
   * as long as the handle is open; the open fails with {@link HostLockedException} if another
   * process or handle holds it. A courtesy of an honest host (it stops a second writer started by
   * mistake): a hostile host can ignore it, so nothing's security may rest on it.
   */
  int LOCK = 32;

  /** Opens a file and returns a handle. */
  long open(String path, int flags) throws IOException;

  /**
   * Reads up to {@code dst.remaining()} bytes at {@code position} into {@code dst}, advancing its
   * position; returns the count, or -1 at end of file.
   */
  int pread(long handle, ByteBuffer dst, long position) throws IOException;

  /** Writes up to {@code src.remaining()} bytes at {@code position}; returns the count. */
  int pwrite(long handle, ByteBuffer src, long position) throws IOException;

  /** Current size of the open file. */
  long size(long handle) throws IOException;

  /** Truncates (never extends) the open file to {@code sizeBytes}. */
  void truncate(long handle, long sizeBytes) throws IOException;

  /**
   * Gives the storage of {@code length} bytes at {@code position} of the open file back to the
   * host's file system, keeping the file's size; the range then reads as zeros (a hole).
   * Advisory: returns false where the host cannot, and callers never depend on it having
   * happened (a host that only claims to punch costs space, nothing else).
   */
  default boolean punchHole(long handle, long position, long length) throws IOException {
    return false;
  }

  /** Forces written data (and metadata if asked) to stable storage. */
  void fsync(long handle, boolean metadata) throws IOException;

  /** Closes the handle. */
  void close(long handle) throws IOException;

  /** Metadata of a path, not following the last link; {@link HostStat#MISSING} if absent. */
  HostStat stat(String path) throws IOException;

  /** Names (not paths) of the entries of a directory, in no particular order. */
  List<String> list(String dir) throws IOException;

  /** Creates one directory; fails if it exists. */
  void mkdir(String path) throws IOException;

  /** Deletes a file or empty directory; fails if it does not exist. */
  void delete(String path) throws IOException;

  /** Atomically renames {@code from} to {@code to}, replacing {@code to} if it exists. */
  void rename(String from, String to) throws IOException;

  /** Forces a directory's entries (creations, renames, deletions) to stable storage. */
  void fsyncDir(String dir) throws IOException;

  /** Releases the implementation's resources (host threads, queues). */
  @Override
  void close() throws IOException;
}
