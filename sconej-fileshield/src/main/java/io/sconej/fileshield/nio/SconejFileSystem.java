package io.sconej.fileshield.nio;

import io.sconej.fileshield.NodeAttributes;
import io.sconej.fileshield.Volume;
import io.sconej.fileshield.VolumeTag;
import io.sconej.hostcalls.PlatformProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link FileSystem} whose files live in one sconej {@link Volume}: a single root "/",
 * '/'-separated names, only the "basic" attribute view.
 *
 * <p>Guarantees: everything written through it is stored by the volume (encrypted and/or
 * authenticated per the volume's mode); reads of tampered data fail with the volume's {@code
 * IntegrityViolationException}. {@link #close()} commits ({@link Volume#close()}) and releases the
 * volume; later operations fail with {@link ClosedFileSystemException}.
 *
 * <p>Refuses: watch services, user principal lookup, memory mapping with {@code READ_WRITE}, and
 * attribute views other than "basic".
 */
public final class SconejFileSystem extends FileSystem {
  private final SconejFileSystemProvider provider;
  private final Volume volume;
  private final boolean readOnly;
  private final Runnable onClose;
  private final SconejPath root;
  private final VolumeOps ops;
  private final FileLocks locks = new FileLocks();
  private volatile boolean open = true;

  SconejFileSystem(
      SconejFileSystemProvider provider, Volume volume, boolean readOnly, Runnable onClose) {
    this.provider = provider;
    this.volume = volume;
    this.readOnly = readOnly;
    this.onClose = onClose;
    this.root = new SconejPath(this, true, List.of());
    this.ops = new VolumeOps(this);
  }

  /** Commits all pending changes of the volume durably and returns the new volume tag. */
  public VolumeTag sync() throws IOException {
    ensureOpen();
    return volume.sync();
  }

  /** The volume's host directory (holding only ciphertext and metadata). */
  public Path volumeDirectory() {
    return volume.hostDirectory();
  }

  Volume volume() {
    return volume;
  }

  VolumeOps ops() {
    return ops;
  }

  FileLocks locks() {
    return locks;
  }

  SconejPath root() {
    return root;
  }

  Optional<NodeAttributes> stat(SconejPath p) throws IOException {
    ensureOpen();
    return volume.stat(p.volumePath());
  }

  void ensureOpen() {
    if (!open) {
      throw new ClosedFileSystemException();
    }
  }

  @Override
  public SconejFileSystemProvider provider() {
    return provider;
  }

  /** Commits and closes the volume; idempotent. */
  @Override
  public void close() throws IOException {
    synchronized (this) {
      if (!open) {
        return;
      }
      open = false;
    }
    try {
      volume.close();
    } finally {
      onClose.run();
    }
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public boolean isReadOnly() {
    return readOnly;
  }

  @Override
  public String getSeparator() {
    return "/";
  }

  @Override
  public Iterable<Path> getRootDirectories() {
    return List.of(root);
  }

  @Override
  public Iterable<FileStore> getFileStores() {
    return List.of(new SconejFileStore(this));
  }

  @Override
  public Set<String> supportedFileAttributeViews() {
    return Set.of("basic");
  }

  @Override
  public SconejPath getPath(String first, String... more) {
    return SconejPath.parse(this, first, more);
  }

  /** "glob:" and "regex:" as for the platform; matched against {@link Path#toString()}. */
  @Override
  public PathMatcher getPathMatcher(String syntaxAndPattern) {
    FileSystem platformFs = PlatformProvider.get().getFileSystem(URI.create("file:///"));
    PathMatcher m = platformFs.getPathMatcher(syntaxAndPattern);
    return p -> m.matches(platformFs.getPath(p.toString()));
  }

  /** Refused: volumes have no owners. */
  @Override
  public UserPrincipalLookupService getUserPrincipalLookupService() {
    throw new UnsupportedOperationException("sconej volumes have no user principals");
  }

  /** Refused: shielded files cannot be watched. */
  @Override
  public WatchService newWatchService() {
    throw new UnsupportedOperationException("watching sconej volumes is not supported");
  }

  @Override
  public String toString() {
    return "sconej:" + volume.hostDirectory();
  }
}
