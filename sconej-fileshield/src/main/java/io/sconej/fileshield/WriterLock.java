package io.sconej.fileshield;

import io.sconej.hostcalls.CheckedHostCalls;
import io.sconej.hostcalls.HostCalls;
import io.sconej.hostcalls.HostLockedException;
import java.io.IOException;

/**
 * The one-writer lock of a volume directory: the host's exclusive OS lock on {@link
 * Volume#LOCK_FILE}, held through an open host handle for as long as the volume is open read-write.
 * A courtesy of an honest host (docs/formats/volume.md, "One writer"); the CAS's tag
 * compare-and-set is what refuses a second writer the host forces in.
 */
final class WriterLock {
  private WriterLock() {}

  /**
   * Takes the lock of the volume in {@code dir} and returns the handle that holds it.
   *
   * @throws VolumeInUseException if another process or open holds it
   */
  static long acquire(CheckedHostCalls host, String dir) throws IOException {
    String lockFile = dir + "/" + Volume.LOCK_FILE;
    try {
      return host.open(lockFile, HostCalls.WRITE | HostCalls.CREATE | HostCalls.LOCK);
    } catch (HostLockedException e) {
      throw new VolumeInUseException(dir, lockFile);
    }
  }

  /** Releases a lock taken by a failed open (none if {@code handle} is -1). */
  static void release(CheckedHostCalls host, long handle, Exception pending) {
    if (handle >= 0) {
      try {
        host.close(handle);
      } catch (IOException e) {
        pending.addSuppressed(e);
      }
    }
  }
}
