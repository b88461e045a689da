package io.sconej.fileshield;

import io.sconej.crypto.Rng;
import io.sconej.crypto.SecretBytes;
import io.sconej.hostcalls.CheckedHostCalls;
import io.sconej.hostcalls.HostCalls;
import io.sconej.hostcalls.HostStat;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
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
 * volume reopens at its last completed commit or later.
 *
 * <p>Restrictions: without an expected tag, a host can present any older complete state of the
 * volume (whole-volume rollback needs the trusted tag); file sizes of up to 2^31 chunks; a commit
 * ({@link #sync()}, {@link VolumeFile#force()}) makes all pending changes of the volume durable
 * at once. All methods are thread-safe.
 */
public final class Volume implements Closeable {
  private final CheckedHostCalls host;
  private final Path hostDir;
  private final String dir;
  private final VolumeHeader header;
  final VolumeKeys keys;
  final ChunkCipher cipher;
  private final ManifestStore store;
  private final boolean readOnly;
  private final CommitListener listener;
  private final ReentrantLock nsLock = new ReentrantLock();
  private final NodeTree tree;
  private final List<Node> deletedSinceCommit = new ArrayList<>();
  /** Nodes changed since the last commit, so a commit never scans the whole volume. */
  private final Set<Node> dirtyNodes = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final java.util.Set<String> dirsToSync = new java.util.HashSet<>();
  private long gen;
  private byte[] chain;
  private volatile VolumeTag tag;
  private volatile String brokenReason;
  private volatile boolean closed;

  private Volume(CheckedHostCalls host, Path hostDir, VolumeHeader header, VolumeKeys keys,
      boolean readOnly, CommitListener listener) {
    this.listener = listener;
    this.host = host;
    this.hostDir = hostDir;
    this.dir = hostDir.toString();
    this.header = header;
    this.keys = keys;
    this.cipher = new ChunkCipher(header.mode, header.volumeId);
    this.store = new ManifestStore(host, dir, keys, header.volumeId);
    this.readOnly = readOnly;
    this.tree = new NodeTree(header.chunkSizeBytes);
  }

  /**
   * Creates an empty volume in {@code hostDir}, which must not exist or be empty.
   *
   * @throws FileAlreadyExistsException if {@code hostDir} holds anything
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
    VolumeHeader h = new VolumeHeader(config.mode(), config.chunkSizeBytes(), Rng.bytes(16));
    VolumeKeys keys = new VolumeKeys(key, h.volumeId);
    Volume v = new Volume(host, abs, h, keys, false, config.commitListener());
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
    v.chain = v.store.initialChain();
    v.gen = 0;
    v.store.writeCheckpoint(
        new ManifestCodec.Record(ManifestCodec.KIND_CHECKPOINT, 0, v.chain, List.of()));
    host.fsyncDir(abs.getParent() == null ? d : abs.getParent().toString());
    v.tag = new VolumeTag(v.store.tag(0, v.chain));
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
    Volume v = new Volume(host, abs, h, keys, config.readOnly(), config.commitListener());
    v.load();
    if (!config.expectedTags().isEmpty() && !config.expectedTags().contains(v.tag)) {
      v.store.close();
      throw new FreshnessViolationException("found tag " + v.tag.hex()
          + (config.expectedTags().size() == 1
              ? ", expected " + config.expectedTags().iterator().next().hex()
              : ", expected one of " + config.expectedTags().size() + " tags"));
    }
    if (!v.readOnly) {
      v.collectGarbage();
    }
    return v;
  }

  private void load() throws IOException {
    ManifestStore.Loaded l = store.load(!readOnly);
    tree.apply(l.checkpoint());
    for (ManifestCodec.Record r : l.commits()) {
      tree.apply(r);
    }
    tree.link();
    gen = l.gen();
    chain = l.chain();
    tag = new VolumeTag(store.tag(gen, chain));
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
      for (String f : host.list(sd)) {
        Node n = tree.byId.get(f);
        if (n == null || n.directory) {
          host.delete(sd + "/" + f);
        }
      }
    }
  }

  // ---------------------------------------------------------------- accessors

  /** Tag of the last committed state. */
  public VolumeTag tag() {
    return tag;
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
    if (brokenReason != null) {
      throw new IOException("volume " + dir + " failed earlier and must be reopened: "
          + brokenReason);
    }
  }

  private void ensureWritable() throws IOException {
    ensureUsable();
    if (readOnly) {
      throw new java.nio.file.ReadOnlyFileSystemException();
    }
  }

  /** Ensures the data subdirectory of a new data file exists, and is fsynced at commit. */
  void prepareDataDir(Node n) throws IOException {
    String sub = dir + "/data/" + n.idHex.substring(0, 2);
    nsLock.lock();
    try {
      if (!host.stat(sub).exists()) {
        host.mkdir(sub);
        dirsToSync.add(dir + "/data");
      }
      dirsToSync.add(sub);
    } finally {
      nsLock.unlock();
    }
  }

  // ---------------------------------------------------------------- namespace

  private Node lookup(String path) throws IOException {
    Node n = tree.resolve(VolumePaths.split(path));
    if (n == null) {
      throw new NoSuchFileException(path);
    }
    return n;
  }

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
      Node n = lookup(dirPath);
      if (!n.directory) {
        throw new NotDirectoryException(dirPath);
      }
      return List.copyOf(n.children.keySet());
    } finally {
      nsLock.unlock();
    }
  }

  private Node parentFor(List<String> segs, String path) throws IOException {
    if (segs.isEmpty()) {
      throw new FileAlreadyExistsException(path, null, "the root directory");
    }
    Node p = tree.resolve(segs.subList(0, segs.size() - 1));
    if (p == null) {
      throw new NoSuchFileException(path, null, "parent directory does not exist");
    }
    if (!p.directory) {
      throw new NotDirectoryException(path);
    }
    return p;
  }

  private Node newNode(Node parent, String name, boolean directory) {
    long now = System.currentTimeMillis();
    Node n = new Node(Rng.bytes(16), directory, now);
    n.parent = parent;
    n.name = name;
    n.modifiedMillis = now;
    metaChanged(n);
    parent.children.put(name, n);
    parent.modifiedMillis = now;
    metaChanged(parent);
    tree.byId.put(n.idHex, n);
    return n;
  }

  /** Creates a directory. */
  public void createDirectory(String path) throws IOException {
    ensureWritable();
    nsLock.lock();
    try {
      List<String> segs = VolumePaths.split(path);
      Node p = parentFor(segs, path);
      if (p.children.containsKey(segs.getLast())) {
        throw new FileAlreadyExistsException(path);
      }
      newNode(p, segs.getLast(), true);
    } finally {
      nsLock.unlock();
    }
  }

  /** Deletes a file or an empty directory. */
  public void delete(String path) throws IOException {
    ensureWritable();
    nsLock.lock();
    try {
      Node n = lookup(path);
      if (n.isRoot()) {
        throw new IOException("cannot delete the root directory of a volume");
      }
      if (n.directory && !n.children.isEmpty()) {
        throw new DirectoryNotEmptyException(path);
      }
      unlink(n);
    } finally {
      nsLock.unlock();
    }
  }

  private void unlink(Node n) {
    n.parent.children.remove(n.name);
    n.parent.modifiedMillis = System.currentTimeMillis();
    metaChanged(n.parent);
    dirtyNodes.remove(n);
    tree.byId.remove(n.idHex);
    n.deleted = true;
    deletedSinceCommit.add(n);
  }

  /** Renames (moves) a file or directory, optionally replacing an existing target. */
  public void rename(String from, String to, boolean replaceExisting) throws IOException {
    ensureWritable();
    nsLock.lock();
    try {
      Node n = lookup(from);
      List<String> segs = VolumePaths.split(to);
      Node p = parentFor(segs, to);
      if (n.isRoot()) {
        throw new IOException("cannot move the root directory of a volume");
      }
      for (Node a = p; a != null; a = a.parent) {
        if (a == n) {
          throw new IOException("cannot move directory '" + from + "' into itself");
        }
      }
      Node existing = p.children.get(segs.getLast());
      if (existing == n) {
        return;
      }
      if (existing != null) {
        if (!replaceExisting) {
          throw new FileAlreadyExistsException(to);
        }
        if (existing.directory && !existing.children.isEmpty()) {
          throw new DirectoryNotEmptyException(to);
        }
        unlink(existing);
      }
      n.parent.children.remove(n.name);
      metaChanged(n.parent);
      n.parent = p;
      n.name = segs.getLast();
      p.children.put(n.name, n);
      metaChanged(p);
      metaChanged(n);
    } finally {
      nsLock.unlock();
    }
  }

  /** Sets the authenticated modification time. */
  public void setLastModifiedTime(String path, long epochMillis) throws IOException {
    ensureWritable();
    nsLock.lock();
    try {
      Node n = lookup(path);
      n.modifiedMillis = epochMillis;
      metaChanged(n);
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
        n = newNode(parentFor(segs, path), segs.getLast(), false);
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
    if (!n.isRoot()) {
      dirtyNodes.add(n);
    }
  }

  private void metaChanged(Node n) {
    if (!n.isRoot()) {
      n.metaDirty = true;
      dirtyNodes.add(n);
    }
  }

  // ---------------------------------------------------------------- commit

  /** Commits every pending change durably and returns the new tag (unchanged if none). */
  public VolumeTag sync() throws IOException {
    ensureUsable();
    if (readOnly) {
      return tag;
    }
    nsLock.lock();
    try {
      return commit();
    } finally {
      nsLock.unlock();
    }
  }

  private int depth(Node n) {
    int d = 0;
    for (Node a = n; a.parent != null; a = a.parent) {
      d++;
    }
    return d;
  }

  private VolumeTag commit() throws IOException {
    List<Node> dirty = new ArrayList<>();
    for (Node n : dirtyNodes) {
      if (!n.deleted && (n.metaDirty || n.dataDirty)) {
        dirty.add(n);
      }
    }
    List<Node> deletions = new ArrayList<>();
    for (Node n : deletedSinceCommit) {
      if (n.committed) {
        deletions.add(n);
      }
    }
    if (dirty.isEmpty() && deletedSinceCommit.isEmpty()) {
      return tag;
    }
    dirty.sort(Comparator.comparingInt(this::depth));
    List<ManifestCodec.Op> ops = new ArrayList<>();
    List<Node> locked = new ArrayList<>();
    try {
      for (Node n : dirty) {
        if (!n.directory) {
          n.lock.writeLock().lock();
          locked.add(n);
          if (n.dataDirty) {
            fsyncData(n);
          }
        }
        ops.add(NodeTree.nodeOp(n));
        if (!n.directory) {
          for (int p : n.dirtyPages) {
            ops.add(new ManifestCodec.PageOp(n.id, p, n.table.page(p)));
          }
        }
      }
      for (String d : dirsToSync) {
        host.fsyncDir(d);
      }
      for (Node n : deletions) {
        ops.add(new ManifestCodec.DeleteOp(n.id));
      }
      ManifestCodec.Record r =
          new ManifestCodec.Record(ManifestCodec.KIND_COMMIT, gen + 1, null, ops);
      byte[] frame = store.seal(r);
      byte[] newChain = store.chainAfter(chain, frame);
      VolumeTag next = new VolumeTag(store.tag(gen + 1, newChain));
      try {
        listener.beforeCommit(tag, next);
        store.append(frame, chain);
      } catch (IOException | RuntimeException e) {
        brokenReason = "commit failed: " + e.getMessage();
        throw e;
      }
      gen++;
      chain = newChain;
      tag = next;
      dirsToSync.clear();
      dirtyNodes.removeAll(dirty);
      for (Node n : dirty) {
        n.metaDirty = false;
        n.committed = true;
        if (!n.directory) {
          n.dataDirty = false;
          n.dirtyChunks.clear();
          n.dirtyPages.clear();
          n.table.shrinkTo(tree.chunkCount(n.sizeBytes));
          if (n.openCount == 0 && n.hostHandle >= 0) {
            host.close(n.hostHandle);
            n.hostHandle = -1;
          }
        }
      }
    } finally {
      for (Node n : locked) {
        n.lock.writeLock().unlock();
      }
    }
    for (Node n : deletedSinceCommit) {
      removeData(n);
    }
    deletedSinceCommit.clear();
    if (store.wantsCheckpoint()) {
      checkpoint();
    }
    listener.afterCommit(tag);
    return tag;
  }

  /** Makes a file's written chunks durable, through its open handle or a temporary one. */
  private void fsyncData(Node n) throws IOException {
    if (n.hostHandle >= 0) {
      host.fsync(n.hostHandle, false);
      return;
    }
    String p = dataPath(n);
    if (!host.stat(p).exists()) {
      return; // nothing was ever written (e.g. created then truncated)
    }
    long h = host.open(p, HostCalls.READ | HostCalls.WRITE);
    try {
      host.fsync(h, false);
    } finally {
      host.close(h);
    }
  }

  private void removeData(Node n) throws IOException {
    if (n.directory) {
      return;
    }
    n.lock.writeLock().lock();
    try {
      if (n.hostHandle >= 0) {
        host.close(n.hostHandle);
        n.hostHandle = -1;
      }
    } finally {
      n.lock.writeLock().unlock();
    }
    String p = dataPath(n);
    if (host.stat(p).exists()) {
      host.delete(p);
    }
  }

  private void checkpoint() throws IOException {
    store.writeCheckpoint(
        new ManifestCodec.Record(ManifestCodec.KIND_CHECKPOINT, gen, chain, tree.snapshot()));
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

  /** Commits pending changes and releases host resources. Idempotent. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      if (!readOnly && brokenReason == null) {
        sync();
      }
    } finally {
      closed = true;
      nsLock.lock();
      try {
        for (Node n : tree.byId.values()) {
          if (n.hostHandle >= 0) {
            host.close(n.hostHandle);
            n.hostHandle = -1;
          }
        }
        store.close();
      } finally {
        nsLock.unlock();
      }
    }
  }
}
