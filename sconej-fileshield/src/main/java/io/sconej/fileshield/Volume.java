package io.sconej.fileshield;

import io.sconej.crypto.Rng;
import io.sconej.crypto.SecretBytes;
import io.sconej.hostcalls.CheckedHostCalls;
import io.sconej.hostcalls.HostCalls;
import io.sconej.hostcalls.HostStat;
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
import java.util.Map;
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

  private final CheckedHostCalls host;
  private final Path hostDir;
  private final String dir;
  private final VolumeHeader header;
  final VolumeKeys keys;
  final ChunkCipher cipher;
  private final ManifestStore store;
  private final boolean readOnly;
  private final CommitListener listener;
  private final ViolationListener violations;
  private final ReentrantLock nsLock = new ReentrantLock();
  private final Object dataDirLock = new Object();
  private final NodeTree tree;
  private final CommitLog log;
  private final Namespace ns;
  private volatile boolean closed;
  /** Host handle holding the writer lock; -1 if read-only. */
  private long lockHandle = -1;

  private Volume(CheckedHostCalls host, Path hostDir, VolumeHeader header, VolumeKeys keys,
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
  }

  /**
   * Creates an empty volume in {@code hostDir}, which must not exist or be empty.
   *
   * @throws FileAlreadyExistsException if {@code hostDir} holds anything
   * @throws VolumeInUseException if another process is creating or writing it
   */
  public static Volume create(Path hostDir, SecretBytes key, VolumeConfig config)
      throws IOException {
    CheckedHostCalls host = CheckedHostCalls.wrap(config.hostCalls());
    Path abs = hostDir.toAbsolutePath().normalize();
    String d = abs.toString();
    HostStat st = host.stat(d);
    if (st.exists() && (!st.directory() || !host.list(d).isEmpty())) {
      throw new FileAlreadyExistsException(d, null, "not an empty directory");
    }
    if (!st.exists()) {
      host.mkdir(d);
    }
    long lock = WriterLock.acquire(host, d);
    VolumeHeader h = new VolumeHeader(config.mode(), config.chunkSizeBytes(), Rng.bytes(16));
    VolumeKeys keys = new VolumeKeys(key, h.volumeId);
    Volume v = new Volume(host, abs, h, keys, false, config);
    v.lockHandle = lock;
    host.mkdir(d + "/data");
    String tmp = d + "/" + VolumeHeader.FILE_NAME + ".tmp";
    long fh = host.open(tmp, HostCalls.WRITE | HostCalls.CREATE_NEW);
    try {
      host.writeFully(fh, ByteBuffer.wrap(h.encode(keys)), 0);
      host.fsync(fh, true);
    } finally {
      host.close(fh);
    }
    host.rename(tmp, d + "/" + VolumeHeader.FILE_NAME);
    v.log.chain = v.store.initialChain();
    v.log.gen = 0;
    v.store.writeCheckpoint(
        new ManifestCodec.Record(ManifestCodec.KIND_CHECKPOINT, 0, v.log.chain, List.of()));
    host.fsyncDir(abs.getParent() == null ? d : abs.getParent().toString());
    v.log.tag = new VolumeTag(v.store.tag(0, v.log.chain));
    return v;
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
      Volume v = openLocked(host, abs, key, config);
      v.lockHandle = lock;
      return v;
    } catch (IOException | RuntimeException e) {
      WriterLock.release(host, lock, e);
      throw e;
    }
  }

  private static Volume openLocked(CheckedHostCalls host, Path abs, SecretBytes key,
      VolumeConfig config) throws IOException {
    String hp = abs + "/" + VolumeHeader.FILE_NAME;
    byte[] raw;
    long fh = host.open(hp, HostCalls.READ);
    try {
      ByteBuffer b = ByteBuffer.allocate(VolumeHeader.LENGTH + 1);
      int n = host.readUpTo(fh, b, 0);
      raw = java.util.Arrays.copyOf(b.array(), n);
    } finally {
      host.close(fh);
    }
    VolumeHeader h = VolumeHeader.parse(raw);
    VolumeKeys keys = new VolumeKeys(key, h.volumeId);
    h.authenticate(raw, keys);
    Volume v = new Volume(host, abs, h, keys, config.readOnly(), config);
    Map<Node, Map<Long, byte[]>> inline = v.load();
    if (!config.expectedTags().isEmpty() && !config.expectedTags().contains(v.log.tag)) {
      v.store.close();
      throw new FreshnessViolationException("found tag " + v.log.tag.hex()
          + (config.expectedTags().size() == 1
              ? ", expected " + config.expectedTags().iterator().next().hex()
              : ", expected one of " + config.expectedTags().size() + " tags"));
    }
    // Only once the state is known to be the expected one: recovery writes into data files. After
    // a clean close there is nothing to recover, and an altered chunk must be reported instead.
    if (!inline.isEmpty() && !v.store.cleanAt(v.log.tag)) {
      v.log.unflushed.addAll(InlineRecovery.recover(v, host, v.log, inline, !v.readOnly));
    }
    if (!v.readOnly) {
      v.collectGarbage();
    }
    return v;
  }

  /** Rebuilds the committed state; returns the inline chunks to recover ({@link InlineRecovery}). */
  private Map<Node, Map<Long, byte[]>> load() throws IOException {
    ManifestStore.Loaded l = store.load(!readOnly);
    tree.apply(l.checkpoint());
    for (ManifestCodec.Record r : l.commits()) {
      tree.apply(r);
    }
    tree.link();
    log.gen = l.gen();
    log.chain = l.chain();
    log.tag = new VolumeTag(store.tag(log.gen, log.chain));
    return InlineRecovery.pending(tree, l.commits());
  }

  /** Removes data files of no node (left by a crash before their creation was committed). */
  private void collectGarbage() throws IOException {
    String data = dir + "/data";
    if (!host.stat(data).exists()) {
      throw new IntegrityViolationException("", -1, Violation.MISSING_DATA, "data/ is missing");
    }
    for (String sub : host.list(data)) {
      String sd = data + "/" + sub;
      if (!host.stat(sd).directory()) {
        continue;
      }
      boolean empty = true;
      for (String f : host.list(sd)) {
        Node n = tree.byId.get(f);
        if (n == null || n.directory) {
          host.delete(sd + "/" + f);
        } else {
          empty = false;
        }
      }
      if (empty && !tree.dataDirInUse(sub)) {
        removeDataDir(sub);
      }
    }
  }

  /**
   * Removes {@code data/<name>} once no live file can have its data there, so that the host does
   * not learn how many directories (hence, roughly, files) ever existed. Best effort: a directory
   * the host keeps non-empty, or refuses to remove, stays (and costs one directory).
   */
  void removeDataDir(String name) {
    synchronized (dataDirLock) { // never between prepareDataDir's check and its mkdir
      if (tree.dataDirInUse(name)) {
        return;
      }
      try {
        host.delete(dir + "/data/" + name);
        // A directory made since the last checkpoint waits there for its fsync: it is gone now.
        log.dirsToSync.remove(dir + "/data/" + name);
      } catch (IOException e) {
        // kept: tried again at the next writable open
      }
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
    return dir + "/data/" + n.idHex.substring(0, 2) + "/" + n.idHex;
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
    violations.onViolation(this, e, "data/" + n.idHex.substring(0, 2) + "/" + n.idHex);
  }

  private void ensureWritable() throws IOException {
    ensureUsable();
    if (readOnly) {
      throw new java.nio.file.ReadOnlyFileSystemException();
    }
  }

  /**
   * Before a data file is opened for writing: if it does not exist yet, ensures its data
   * subdirectory exists and has both directories made durable before that file's data is relied
   * on (the next commit that fsyncs data files, or the next checkpoint). An existing data file
   * needs neither, so reopening a file costs no directory fsync.
   */
  void prepareDataDir(Node n) throws IOException {
    if (host.stat(dataPath(n)).exists()) {
      return;
    }
    String sub = dir + "/data/" + n.idHex.substring(0, 2);
    // Not the namespace lock: the caller holds n's lock, which a commit takes under that one.
    synchronized (dataDirLock) {
      if (!host.stat(sub).exists()) {
        host.mkdir(sub);
        log.dirsToSync.add(dir + "/data");
      }
      log.dirsToSync.add(sub);
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
