package io.sconej.fileshield;

import java.nio.file.FileSystemException;

/**
 * A read-write open found the volume's writer lock held: another process (or another open in this
 * one) has the volume open read-write. A volume has one writer at a time. The lock is a courtesy
 * of an honest host; against a host that forces a second writer anyway, the CAS's tag
 * compare-and-set refuses the second writer's commits (docs/cas-api.md).
 */
public final class VolumeInUseException extends FileSystemException {
  private static final long serialVersionUID = 1L;

  /** The volume in {@code volumeDir} is in use; {@code lockFile} is its held lock. */
  public VolumeInUseException(String volumeDir, String lockFile) {
    super(volumeDir, null, "volume " + volumeDir + " is in use: another process has it open"
        + " read-write (its lock " + lockFile + " is held); a volume has one writer at a time");
  }

  /** The one-line message, without {@link FileSystemException}'s file prefix. */
  @Override
  public String getMessage() {
    return getReason();
  }
}
