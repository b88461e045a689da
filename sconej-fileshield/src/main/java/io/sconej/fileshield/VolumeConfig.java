package io.sconej.fileshield;

import io.sconej.hostcalls.HostCalls;
import io.sconej.hostcalls.SyncHostCalls;
import java.util.Set;

/**
 * How a volume is created or opened. Immutable; build with {@link #builder()}.
 *
 * <p>Defaults: mode {@link VolumeMode#ENCRYPTED}, chunk size 4096 bytes, synchronous host calls,
 * no expected tag (no freshness check), writable.
 */
public final class VolumeConfig {
  /** Smallest chunk size. */
  public static final int MIN_CHUNK_SIZE = 512;

  /** Largest chunk size (the chunk length field has 24 bits). */
  public static final int MAX_CHUNK_SIZE = 1 << 23;

  private final VolumeMode mode;
  private final int chunkSizeBytes;
  private final HostCalls hostCalls;
  private final Set<VolumeTag> expectedTags;
  private final boolean readOnly;
  private final CommitListener commitListener;
  private final ViolationListener violationListener;

  private VolumeConfig(Builder b) {
    this.commitListener = b.commitListener;
    this.violationListener = b.violationListener;
    this.mode = b.mode;
    this.chunkSizeBytes = b.chunkSizeBytes;
    this.hostCalls = b.hostCalls == null ? SyncHostCalls.create() : b.hostCalls;
    this.expectedTags = Set.copyOf(b.expectedTags);
    this.readOnly = b.readOnly;
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Defaults. */
  public static VolumeConfig defaults() {
    return builder().build();
  }

  /** Mode for a new volume (an opened volume's mode comes from its header). */
  public VolumeMode mode() {
    return mode;
  }

  /** Chunk size for a new volume. */
  public int chunkSizeBytes() {
    return chunkSizeBytes;
  }

  /** The host-call implementation (always used through the Iago-checking wrapper). */
  public HostCalls hostCalls() {
    return hostCalls;
  }

  /** Tags the volume must open at; empty for no freshness check. */
  public Set<VolumeTag> expectedTags() {
    return expectedTags;
  }

  /** Told about every commit (e.g. to report tags to the CAS). */
  public CommitListener commitListener() {
    return commitListener;
  }

  /** Told about every violation found while the volume is open (default: none). */
  public ViolationListener violationListener() {
    return violationListener;
  }

  /** True to refuse every modification (and never repair a torn journal tail). */
  public boolean readOnly() {
    return readOnly;
  }

  /** Builder for {@link VolumeConfig}. */
  public static final class Builder {
    private VolumeMode mode = VolumeMode.ENCRYPTED;
    private int chunkSizeBytes = 4096;
    private HostCalls hostCalls;
    private Set<VolumeTag> expectedTags = Set.of();
    private boolean readOnly;
    private CommitListener commitListener = CommitListener.NONE;
    private ViolationListener violationListener = ViolationListener.NONE;

    private Builder() {}

    /** Sets the violation listener (default: none, the exception reaches the caller). */
    public Builder violationListener(ViolationListener l) {
      this.violationListener = java.util.Objects.requireNonNull(l, "violation listener");
      return this;
    }

    /** Sets the commit listener (default: none). */
    public Builder commitListener(CommitListener l) {
      this.commitListener = l;
      return this;
    }

    /** Sets the mode of a new volume. */
    public Builder mode(VolumeMode m) {
      this.mode = m;
      return this;
    }

    /** Sets the chunk size of a new volume: a power of two in [512, 8 MiB]. */
    public Builder chunkSizeBytes(int n) {
      if (n < MIN_CHUNK_SIZE || n > MAX_CHUNK_SIZE || Integer.bitCount(n) != 1) {
        throw new IllegalArgumentException(
            "chunk size must be a power of two between 512 and 8388608 bytes, not " + n);
      }
      this.chunkSizeBytes = n;
      return this;
    }

    /** Sets the host calls. */
    public Builder hostCalls(HostCalls h) {
      this.hostCalls = h;
      return this;
    }

    /** Sets the accepted tags (e.g. the CAS's committed and pending tag). */
    public Builder expectedTags(Set<VolumeTag> tags) {
      this.expectedTags = Set.copyOf(tags);
      return this;
    }

    /** Read-only access. */
    public Builder readOnly(boolean ro) {
      this.readOnly = ro;
      return this;
    }

    /** Builds. */
    public VolumeConfig build() {
      return new VolumeConfig(this);
    }
  }
}
