package io.sconej.fileshield.nio;

import io.sconej.crypto.SecretBytes;
import io.sconej.fileshield.VolumeMode;
import io.sconej.fileshield.VolumeTag;
import io.sconej.hostcalls.HostCalls;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One region of the default file system: an absolute host path prefix and what happens under it.
 * Immutable; built with {@link #builder(String)}.
 *
 * <p>For {@link RegionKind#ENCRYPTED} and {@link RegionKind#AUTHENTICATED} a volume directory and a
 * 32-byte key are required; the key is held in memory only (never written anywhere).
 */
public final class RegionConfig {
  private final Path prefix;
  private final RegionKind kind;
  private final Optional<Path> volumeDirectory;
  private final Optional<VolumeOptions> options;

  private RegionConfig(Builder b) {
    this.prefix = Hosts.platformPath(b.prefix).normalize();
    if (!prefix.isAbsolute()) {
      throw new IllegalArgumentException("region prefix must be absolute: " + b.prefix);
    }
    this.kind = b.kind;
    if (kind == RegionKind.ENCRYPTED || kind == RegionKind.AUTHENTICATED) {
      if (b.volumeDirectory == null || b.key == null) {
        throw new IllegalArgumentException(
            "region " + prefix + " (" + kind + ") needs a volume directory and a key");
      }
      if (b.key.length() != 32) {
        throw new IllegalArgumentException(
            "region " + prefix + ": volume key must be 32 bytes, got " + b.key.length());
      }
      this.volumeDirectory =
          Optional.of(Hosts.platformPath(b.volumeDirectory).toAbsolutePath().normalize());
      VolumeMode mode =
          kind == RegionKind.ENCRYPTED ? VolumeMode.ENCRYPTED : VolumeMode.AUTHENTICATED;
      this.options =
          Optional.of(
              new VolumeOptions(
                  b.key,
                  b.create,
                  mode,
                  Optional.ofNullable(b.chunkSizeBytes),
                  Set.copyOf(b.expectedTags),
                  b.readOnly,
                  b.commitListener,
                  b.violationListener,
                  Optional.ofNullable(b.hostCalls)));
    } else {
      this.volumeDirectory = Optional.empty();
      this.options = Optional.empty();
    }
  }

  /** A builder for the region under {@code prefix} (an absolute host path). */
  public static Builder builder(String prefix) {
    return new Builder(prefix);
  }

  /** The normalised absolute prefix. */
  public Path prefix() {
    return prefix;
  }

  /** The kind. */
  public RegionKind kind() {
    return kind;
  }

  /** The volume's host directory, for encrypted and authenticated regions. */
  public Optional<Path> volumeDirectory() {
    return volumeDirectory;
  }

  Optional<VolumeOptions> options() {
    return options;
  }

  @Override
  public String toString() {
    return "region " + prefix + " (" + kind.name().toLowerCase(java.util.Locale.ROOT) + ")";
  }

  /** Builds a {@link RegionConfig}; defaults: encrypted, create=false, not read-only. */
  public static final class Builder {
    private final String prefix;
    private RegionKind kind = RegionKind.ENCRYPTED;
    private Path volumeDirectory;
    private SecretBytes key;
    private boolean create;
    private boolean readOnly;
    private Integer chunkSizeBytes;
    private final java.util.Set<VolumeTag> expectedTags = new java.util.HashSet<>();
    private io.sconej.fileshield.CommitListener commitListener =
        io.sconej.fileshield.CommitListener.NONE;
    private io.sconej.fileshield.ViolationListener violationListener =
        io.sconej.fileshield.ViolationListener.NONE;
    private HostCalls hostCalls;

    private Builder(String prefix) {
      this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    /** The kind (default encrypted). */
    public Builder kind(RegionKind kind) {
      this.kind = Objects.requireNonNull(kind, "kind");
      return this;
    }

    /** The host directory holding the volume. */
    public Builder volumeDirectory(Path dir) {
      this.volumeDirectory = Objects.requireNonNull(dir, "volume directory");
      return this;
    }

    /** The 32-byte volume key (kept in memory only). */
    public Builder key(SecretBytes key) {
      this.key = Objects.requireNonNull(key, "key");
      return this;
    }

    /** Create the volume at first use if its directory is missing or empty (default false). */
    public Builder create(boolean create) {
      this.create = create;
      return this;
    }

    /** Open the volume read-only (default false). */
    public Builder readOnly(boolean readOnly) {
      this.readOnly = readOnly;
      return this;
    }

    /** Chunk size for a volume created here. */
    public Builder chunkSizeBytes(int chunkSizeBytes) {
      this.chunkSizeBytes = chunkSizeBytes;
      return this;
    }

    /** The tag the volume must have at open (freshness; from the CAS). */
    public Builder expectedTag(VolumeTag tag) {
      this.expectedTags.add(Objects.requireNonNull(tag, "tag"));
      return this;
    }

    /** Adds accepted tags (e.g. the CAS's committed and pending tag); none means no check. */
    public Builder expectedTags(java.util.Collection<VolumeTag> tags) {
      this.expectedTags.addAll(tags);
      return this;
    }

    /** Told about every commit of the region's volume (the runtime reports tags to the CAS). */
    public Builder commitListener(io.sconej.fileshield.CommitListener listener) {
      this.commitListener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Told about every violation found in the region's volume while it is mounted (default: none,
     * the exception reaches the application; the runtime's listener aborts the enclave).
     */
    public Builder violationListener(io.sconej.fileshield.ViolationListener listener) {
      this.violationListener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * The host calls the region's volume uses (default: synchronous host calls, as {@link
     * io.sconej.fileshield.VolumeConfig}). The caller owns them: closing the volume does not close
     * them; close them only after the volume (see {@link Regions#closeAtExitAfterVolumes}).
     */
    public Builder hostCalls(HostCalls hostCalls) {
      this.hostCalls = Objects.requireNonNull(hostCalls, "hostCalls");
      return this;
    }

    /** Validates and builds; {@link IllegalArgumentException} names what is missing. */
    public RegionConfig build() {
      return new RegionConfig(this);
    }
  }
}
