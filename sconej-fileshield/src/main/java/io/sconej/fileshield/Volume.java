package io.sconej.fileshield;

import io.sconej.crypto.SecretBytes;
import io.sconej.hostcalls.CheckedHostCalls;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A protected volume: a tree of files and directories stored in a host directory as encrypted (or
 * authenticated) chunks plus an authenticated manifest. The format is in docs/formats/volume.md.
 *
 * <p>Security guarantees, against a host that controls every byte on disk and every host-call
 * result: confidentiality of file contents, names and sizes ({@link VolumeMode#ENCRYPTED});
 * integrity of every byte and of the namespace; detection of moved, swapped, duplicated or
 * rolled-back chunks and files; detection of a rolled-back whole volume when opened with the
 * expected tag(s) (which the CAS holds); crash consistency: after a crash at any instant the
 * volume reopens at its last completed commit or later. One writer: a read-write open takes the
 * host's exclusive lock on {@link #LOCK_FILE} for the volume's lifetime and fails with {@link
 * VolumeInUseException} if it is held; read-only opens take no lock and may share.
 *
 * <p>Restrictions: without an expected tag, a host can present any older complete state of the
 * volume (whole-volume rollback needs the trusted tag); file sizes of up to 2^31 chunks; a commit
 * ({@link #sync()}, {@link VolumeFile#force()}) makes all pending changes of the volume durable
 * at once. All methods are thread-safe.
 */
public final class Volume implements Closeable {
  /** The file in the host directory whose OS lock the one writer holds (empty, never read). */
  public static final String LOCK_FILE = "writer.lock";

  final CheckedHostCalls host;
  private final Path hostDir;
  private final String dir;
  private final VolumeHeader header;
  final VolumeKeys keys;
  final ChunkCipher cipher;
  final ManifestStore store;
  final boolean readOnly;
  private final CommitListener listener;
  private final ViolationListener violations;
  private final ReentrantLock nsLock = new ReentrantLock();
  final NodeTree tree;
  final CommitLog log;
  private final Namespace ns;
  /** The {@code data/xx} directories of the host directory. */
  final DataDirs dataDirs;
  private volatile boolean closed;
  /** Host handle holding the writer lock; -1 if read-only. */
  long lockHandle = -1;

  Volume(CheckedHostCalls host, Path hostDir, VolumeHeader header, VolumeKeys keys,
      boolean readOnly, VolumeConfig config) {
    this.listener = config.commitListener();
    this.violations = config.violationListener();
    this.host = host;
    this.hostDir = hostDir;
    this.dir = hostDir.toString();
    this.header = header;
    this.keys = keys;
    this.cipher = new ChunkCipher(header.mode, header.volumeId);
    this.store = new ManifestStore(host, dir, keys, header.volumeId);
    this.readOnly = readOnly;
    this.tree = new NodeTree(header.chunkSizeBytes);
    this.log = new CommitLog(this, host, tree, store, listener);
    this.ns = new Namespace(tree, log);
    this.dataDirs = new DataDirs(host, dir, tree, log);
  }

  /**
   * Creates an empty volume in {@code hostDir}, which must not exist or be empty.
   *
   * @throws FileAlreadyExistsException if {@code hostDir} holds anything
   * @throws VolumeInUseException if another process is creating or writing it
   */
  public static Volume create(Path hostDir, SecretBytes key, VolumeConfig config)
      throws IOException {
    return VolumeSetup.create(hostDir, key, config);
  }

  /**
   * Opens a volume, authenticating its header, manifest and namespace, and checking its tag
   * against the expected tags if any were configured.
   *
   * @throws NoSuchFileException if there is no volume in {@code hostDir}
   * @throws WrongKeyException if the key does not open it
   * @throws IntegrityViolationException if the manifest was tampered with
   * @throws FreshnessViolationException if its state is not one of the expected tags
   * @throws VolumeInUseException if opened read-write while another writer holds its lock
   */
  public static Volume open(Path hostDir, SecretBytes key, VolumeConfig config)
      throws IOException {
    CheckedHostCalls host = CheckedHostCalls.wrap(config.hostCalls());
    Path abs = hostDir.toAbsolutePath().normalize();
    String d = abs.toString();
    String hp = d + "/" + VolumeHeader.FILE_NAME;
    if (!host.stat(hp).exists()) {
      throw new NoSuchFileException(d, null, "no sconej volume here (" + hp + " is missing)");
    }
    long lock = config.readOnly() ? -1 : WriterLock.acquire(host, d);
    try {
      Volume v = VolumeSetup.openLocked(host, abs, key, config);
      v.lockHandle = lock;
      return v;
    } catch (IOException | RuntimeException e) {
      WriterLock.release(host, lock, e);
      throw e;
    }
  }

  // ---------------------------------------------------------------- accessors

  /** Tag of the last committed state. */
  public VolumeTag tag() {
    return log.tag;
  }

  /** The volume's mode. */
  public VolumeMode mode() {
    return header.mode;
  }

  /** The volume's chunk size. */
  public int chunkSizeBytes() {
    return header.chunkSizeBytes;
  }

  /** The host directory holding the volume. */
  public Path hostDirectory() {
    return hostDir;
  }

  CheckedHostCalls host() {
    return host;
  }

  /** True if opened read-only (every modification is refused). */
  public boolean isReadOnly() {
    return readOnly;
  }

  /**
   * The host file that holds a volume file's chunks (for diagnostics and attack tests; it holds
   * ciphertext only), or empty if the path is not a file.
   */
  public Optional<Path> hostDataFile(String path) throws IOException {
    ensureUsable();
    nsLock.lock();
    try {
      Node n = tree.resolve(VolumePaths.split(path));
      return n == null || n.directory ? Optional.empty() : Optional.of(Path.of(dataPath(n)));
    } finally {
      nsLock.unlock();
    }
  }

  String dataPath(Node n) {
    return dataDirs.path(n);
  }

  void ensureUsable() throws IOException {
    if (closed) {
      throw new IOException("volume " + dir + " is closed");
    }
    if (log.brokenReason != null) {
      throw new IOException("volume " + dir + " failed earlier and must be reopened: "
          + log.brokenReason);
    }
  }

  /**
   * Fails the volume closed: from now on every operation, and every commit not already under way,
   * is refused with {@code reason}, and {@link #close} commits nothing. Idempotent (the first
   * reason stays).
   */
  public void failClosed(String reason) {
    if (log.brokenReason == null) {
      log.brokenReason = reason;
    }
  }

  /** Tells the violation listener about {@code e}, found in {@code n}'s data; then returns. */
  void violated(IntegrityViolationException e, Node n) {
    violations.onViolation(this, e, DataDirs.relative(n));
  }

  private void ensureWritable() throws IOException {
    ensureUsable();
    if (readOnly) {
      throw new java.nio.file.ReadOnlyFileSystemException();
    }
  }


  // ---------------------------------------------------------------- namespace

  /** Attributes of a path, or empty if it does not exist. */
  public Optional<NodeAttributes> stat(String path) throws IOException {
    ensureUsable();
    nsLock.lock();
    try {
      Node n = tree.resolve(VolumePaths.split(path));
      return n == null ? Optional.empty() : Optional.of(n.attributes());
    } finally {
      nsLock.unlock();
    }
  }

  /** Names of a directory's children, sorted. */
  public List<String> list(String dirPath) throws IOException {
    ensureUsable();
    nsLock.lock();
    try {
      Node n = ns.lookup(dirPath);
      if (!n.directory) {
        throw new NotDirectoryException(dirPath);
      }
      return List.copyOf(n.children.keySet());
    } finally {
      nsLock.unlock();
    }
  }

  /** Creates a directory. */
  public void createDirectory(String path) throws IOException {
    ensureWritable();
    nsLock.lock();
    try {
      ns.createDirectory(path);
    } finally {
      nsLock.unlock();
    }
  }

  /** Deletes a file or an empty directory. */
  public void delete(String path) throws IOException {
    ensureWritable();
    nsLock.lock();
    try {
      ns.delete(path);
    } finally {
      nsLock.unlock();
    }
  }

  /** Renames (moves) a file or directory, optionally replacing an existing target. */
  public void rename(String from, String to, boolean replaceExisting) throws IOException {
    ensureWritable();
    nsLock.lock();
    try {
      ns.rename(from, to, replaceExisting);
    } finally {
      nsLock.unlock();
    }
  }

  /** Sets the authenticated modification time. */
  public void setLastModifiedTime(String path, long epochMillis) throws IOException {
    ensureWritable();
    nsLock.lock();
    try {
      Node n = ns.lookup(path);
      n.modifiedMillis = epochMillis;
      ns.metaChanged(n);
    } finally {
      nsLock.unlock();
    }
  }

  /**
   * Opens a file. Options: READ, WRITE, APPEND, CREATE, CREATE_NEW, TRUNCATE_EXISTING, SYNC,
   * DSYNC; others are ignored.
   */
  public VolumeFile open(String path, Set<? extends OpenOption> options) throws IOException {
    ensureUsable();
    boolean write = options.contains(StandardOpenOption.WRITE)
        || options.contains(StandardOpenOption.APPEND);
    if (write) {
      ensureWritable();
    }
    Node n;
    nsLock.lock();
    try {
      List<String> segs = VolumePaths.split(path);
      n = tree.resolve(segs);
      if (n != null && write && options.contains(StandardOpenOption.CREATE_NEW)) {
        throw new FileAlreadyExistsException(path);
      }
      if (n == null) {
        boolean create = write && (options.contains(StandardOpenOption.CREATE)
            || options.contains(StandardOpenOption.CREATE_NEW));
        if (!create) {
          throw new NoSuchFileException(path);
        }
        n = ns.newNode(ns.parentFor(segs, path), segs.getLast(), false);
      }
      if (n.directory) {
        throw new IOException(path + ": is a directory");
      }
      n.openCount++;
    } finally {
      nsLock.unlock();
    }
    VolumeFile f = new VolumeFile(this, n, write, options.contains(StandardOpenOption.APPEND),
        options.contains(StandardOpenOption.SYNC) || options.contains(StandardOpenOption.DSYNC));
    if (write && options.contains(StandardOpenOption.TRUNCATE_EXISTING)) {
      f.truncate(0);
    }
    return f;
  }

  /** Called when a {@link VolumeFile} closes. */
  void released(Node n) throws IOException {
    nsLock.lock();
    try {
      n.openCount--;
      // Closed even if dirty: the commit fsyncs through a fresh handle, so a volume never holds
      // one descriptor per written-but-uncommitted file.
      if (n.openCount == 0) {
        n.lock.writeLock().lock();
        try {
          if (n.hostHandle >= 0) {
            host.close(n.hostHandle);
            n.hostHandle = -1;
          }
        } finally {
          n.lock.writeLock().unlock();
        }
      }
    } finally {
      nsLock.unlock();
    }
  }

  /** Records that a node changed since the last commit. */
  void markDirty(Node n) {
    ns.markDirty(n);
  }

  // ---------------------------------------------------------------- commit

  /** Commits every pending change durably and returns the new tag (unchanged if none). */
  public VolumeTag sync() throws IOException {
    ensureUsable();
    if (readOnly) {
      return log.tag;
    }
    nsLock.lock();
    try {
      return log.commit();
    } finally {
      nsLock.unlock();
    }
  }

  /**
   * The commit of a synchronous write ({@code DSYNC}/{@code SYNC}) to {@code n}: like {@link
   * #sync()}, but returns at once if a concurrent commit has already made {@code n}'s changes
   * durable. That commit took them under {@code n}'s lock after the write, and cleared its dirty
   * flags only once durable. So concurrent synchronous writers share commits instead of each
   * committing the others' next writes (group commit).
   */
  VolumeTag syncFor(Node n) throws IOException {
    ensureUsable();
    if (readOnly) {
      return log.tag;
    }
    nsLock.lock();
    try {
      if (!n.dataDirty && !n.metaDirty) {
        return log.tag;
      }
      return log.commit();
    } finally {
      nsLock.unlock();
    }
  }

  // ---------------------------------------------------------------- verify and close

  /** Reads and authenticates every chunk of every file (and the namespace, checked at open). */
  public void verify() throws IOException {
    ensureUsable();
    List<Node> files = new ArrayList<>();
    nsLock.lock();
    try {
      for (Node n : tree.byId.values()) {
        if (!n.directory) {
          files.add(n);
        }
      }
    } finally {
      nsLock.unlock();
    }
    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
    for (Node n : files) {
      nsLock.lock();
      try {
        n.openCount++;
      } finally {
        nsLock.unlock();
      }
      try (VolumeFile f = new VolumeFile(this, n, false, false, false)) {
        long pos = 0;
        long size = n.sizeBytes;
        while (pos < size) {
          buf.clear();
          int r = f.read(buf, pos);
          if (r <= 0) {
            break;
          }
          pos += r;
        }
      }
    }
  }

  /** Punches a file's recorded garbage (at close, so that the next open starts with none). */
  private void reclaim(Node n) {
    n.lock.writeLock().lock();
    try {
      SpaceReclaim.punchAll(this, host, n);
    } catch (IOException | RuntimeException e) {
      // space only: the volume is committed; the garbage stays allocated
    } finally {
      n.lock.writeLock().unlock();
    }
  }

  /** Commits pending changes and releases host resources. Idempotent. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      if (!readOnly && log.brokenReason == null) {
        sync();
        nsLock.lock();
        try {
          log.closeClean();
        } finally {
          nsLock.unlock();
        }
      }
    } finally {
      closed = true;
      nsLock.lock();
      try {
        for (Node n : tree.byId.values()) {
          if (!n.directory && !readOnly && log.brokenReason == null) {
            reclaim(n);
          }
          if (n.hostHandle >= 0) {
            host.close(n.hostHandle);
            n.hostHandle = -1;
          }
        }
        store.close();
        if (lockHandle >= 0) {
          host.close(lockHandle);
          lockHandle = -1;
        }
      } finally {
        nsLock.unlock();
      }
    }
  }
}
