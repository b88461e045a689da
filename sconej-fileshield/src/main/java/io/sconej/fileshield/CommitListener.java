package io.sconej.fileshield;

import java.io.IOException;

/**
 * Told about every commit of a volume, in the two phases that keep a tag-tracking service (the
 * CAS) in step with the disk across crashes: {@link #beforeCommit} with the tag the commit will
 * produce, before anything of it is durable, then {@link #afterCommit} once it is. A crash between
 * the two leaves the disk at either the old or the announced tag, both of which the service
 * knows, so the owner is never locked out.
 */
public interface CommitListener {
  /**
   * The next state's tag, before the commit is written. Throwing aborts the commit: the volume
   * then fails closed (the caller's sync fails and the volume must be reopened).
   */
  void beforeCommit(VolumeTag previous, VolumeTag next) throws IOException;

  /** The commit is durable. Throwing is reported to the caller of sync; the commit stands. */
  void afterCommit(VolumeTag tag) throws IOException;

  /** A listener that does nothing. */
  CommitListener NONE =
      new CommitListener() {
        @Override
        public void beforeCommit(VolumeTag previous, VolumeTag next) {}

        @Override
        public void afterCommit(VolumeTag tag) {}
      };
}
