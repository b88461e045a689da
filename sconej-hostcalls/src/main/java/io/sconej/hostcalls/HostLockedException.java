package io.sconej.hostcalls;

import java.nio.file.FileSystemException;

/**
 * An open with {@link HostCalls#LOCK} found the file's lock held by another process or handle.
 * Reported by an honest host only: a hostile one may grant every lock.
 */
public final class HostLockedException extends FileSystemException {
  private static final long serialVersionUID = 1L;

  /** The lock on {@code file} is held elsewhere. */
  public HostLockedException(String file) {
    super(file, null, "locked by another process");
  }
}
