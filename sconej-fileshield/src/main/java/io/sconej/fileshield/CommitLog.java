package io.sconej.fileshield;

import io.sconej.hostcalls.CheckedHostCalls;
import io.sconej.hostcalls.HostCalls;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The commit machinery of a {@link Volume}: which nodes changed since the last commit, and how a
 * commit makes them durable. The argument for this order is in docs/fileshield-crash.md.
 *
 * <ul>
 *   <li><b>Small commit</b> (the chunks written since the last commit hold at most {@value
 *       #INLINE_MAX_BYTES} bytes): read those chunks' sealed bytes back (page cache) into DATA ops
 *       of the commit's journal frame, announce the next tag to the {@link CommitListener},
 *       append the frame and fdatasync the journal: <b>one fdatasync</b>. The data files are
 *       fsynced later, before the checkpoint that drops the journal ({@link #unflushed}).
 *   <li><b>Large commit</b>: fdatasync the written data files and the new data directories, then
 *       announce, append and fdatasync the journal.
 * </ul>
 *
 * The journal is folded into a checkpoint once it outgrows it. A failure between the
 * announcement and the durable append marks the volume broken (fail closed). Concurrent writers
 * share commits: a commit takes every change made before it started, so writers waiting behind
 * it find theirs already durable (group commit). All methods except the dirty-tracking ones run
 * under the volume's namespace lock.
 */
final class CommitLog {
  private final Volume volume;
  private final CheckedHostCalls host;
  private final NodeTree tree;
  private final ManifestStore store;
  private final CommitListener listener;
  /** Nodes changed since the last commit, so a commit never scans the whole volume. */
  final Set<Node> dirtyNodes = ConcurrentHashMap.newKeySet();
  final List<Node> deletedSinceCommit = new ArrayList<>();
  /**
   * Data directories created since they were last fsynced. Concurrent: writers add to it (under
   * their node's lock, not the namespace lock); a commit removes only what it fsynced.
   */
  final Set<String> dirsToSync = ConcurrentHashMap.newKeySet();
  /** Files with chunks committed inline only: fsynced before a checkpoint drops the journal. */
  final Set<Node> unflushed = new HashSet<>();
  /** Largest total chunk bytes a commit carries in its journal frame instead of fsyncing. */
  static final int INLINE_MAX_BYTES = 64 * 1024;
  long gen;
  byte[] chain;
  volatile VolumeTag tag;
  volatile String brokenReason;

  CommitLog(Volume volume, CheckedHostCalls host, NodeTree tree, ManifestStore store,
      CommitListener listener) {
    this.volume = volume;
    this.host = host;
    this.tree = tree;
    this.store = store;
    this.listener = listener;
  }

  static int depth(Node n) {
    int d = 0;
    for (Node a = n; a.parent != null; a = a.parent) {
      d++;
    }
    return d;
  }

  /** Commits every pending change; the caller holds the namespace lock. */
  VolumeTag commit() throws IOException {
    boolean relocated = commit(true);
    return relocated ? commitOnce(false) : tag;
  }

  private VolumeTag commitOnce(boolean relocate) throws IOException {
    commit(relocate);
    return tag;
  }

  /**
   * One commit; returns true if space reclaim rewrote chunks after it (only if {@code relocate}),
   * which the caller then commits too, so that what a sync returns is fully reclaimed.
   */
  private boolean commit(boolean relocate) throws IOException {
    boolean relocated = false;
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
      return false;
    }
    dirty.sort(Comparator.comparingInt(CommitLog::depth));
    List<ManifestCodec.Op> ops = new ArrayList<>();
    List<Node> locked = new ArrayList<>();
    List<Node> inlined = new ArrayList<>();
    try {
      for (Node n : dirty) {
        if (!n.directory) {
          n.lock.writeLock().lock();
          locked.add(n);
        }
      }
      boolean inline = inlineBytes(dirty) <= INLINE_MAX_BYTES;
      for (Node n : dirty) {
        if (!n.directory && n.dataDirty && !inline) {
          fsyncData(n);
        }
        ops.add(NodeTree.nodeOp(n));
        if (!n.directory) {
          for (int p : n.dirtyPages) {
            ops.add(new ManifestCodec.PageOp(n.id, p, n.table.page(p)));
          }
          if (inline && n.dataDirty && addDataOps(n, ops)) {
            inlined.add(n);
          }
        }
      }
      List<String> dirs = inline ? List.of() : List.copyOf(dirsToSync);
      for (String d : dirs) {
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
      dirs.forEach(dirsToSync::remove);
      unflushed.addAll(inlined);
      dirtyNodes.removeAll(dirty);
      for (Node n : dirty) {
        n.metaDirty = false;
        n.committed = true;
        if (!n.directory) {
          n.dataDirty = false;
          // Only now, with the frame durable, are the previous commit's slots garbage.
          SpaceReclaim.afterCommit(volume, host, n, tree.chunkCount(n.sizeBytes));
          n.dirtyChunks.clear();
          n.staleChunks.clear();
          n.dirtyPages.clear();
          n.table.shrinkTo(tree.chunkCount(n.sizeBytes));
          relocated |= SpaceReclaim.reclaimIfDue(volume, host, n, relocate);
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
    Set<String> emptied = new HashSet<>();
    for (Node n : deletedSinceCommit) {
      removeData(n);
      if (!n.directory && !tree.dataDirInUse(n.idHex.substring(0, 2))) {
        emptied.add(n.idHex.substring(0, 2));
      }
    }
    deletedSinceCommit.clear();
    for (String d : emptied) {
      volume.dataDirs.remove(d);
    }
    if (store.wantsCheckpoint()) {
      checkpoint();
    }
    listener.afterCommit(tag);
    return relocated;
  }

  /** Total sealed bytes of the chunks written since the last commit (nodes are locked). */
  private long inlineBytes(List<Node> dirty) {
    long total = 0;
    byte[] e = new byte[ChunkTable.ENTRY_BYTES];
    for (Node n : dirty) {
      if (n.directory || !n.dataDirty) {
        continue;
      }
      long count = tree.chunkCount(n.sizeBytes);
      for (int k = n.dirtyChunks.nextSetBit(0); k >= 0 && k < count;
          k = n.dirtyChunks.nextSetBit(k + 1)) {
        n.table.get(k, e, 0);
        if ((e[31] & ChunkTable.FLAG_PRESENT) != 0) {
          total += length(e);
          if (total > INLINE_MAX_BYTES) {
            return total;
          }
        }
      }
    }
    return total;
  }

  private static int length(byte[] e) {
    return ((e[28] & 0xff) << 16) | ((e[29] & 0xff) << 8) | (e[30] & 0xff);
  }

  /**
   * Adds a DATA op for each chunk of {@code n} written since the last commit, its sealed bytes
   * read back from the slot they were written to; returns whether it added any.
   */
  private boolean addDataOps(Node n, List<ManifestCodec.Op> ops) throws IOException {
    long count = tree.chunkCount(n.sizeBytes);
    int cs = volume.chunkSizeBytes();
    byte[] e = new byte[ChunkTable.ENTRY_BYTES];
    long h = n.hostHandle;
    boolean temporary = false;
    boolean any = false;
    try {
      for (int k = n.dirtyChunks.nextSetBit(0); k >= 0 && k < count;
          k = n.dirtyChunks.nextSetBit(k + 1)) {
        n.table.get(k, e, 0);
        if ((e[31] & ChunkTable.FLAG_PRESENT) == 0) {
          continue;
        }
        if (h < 0) {
          h = host.open(volume.dataPath(n), HostCalls.READ);
          temporary = true;
        }
        int len = length(e);
        ByteBuffer b = ByteBuffer.allocate(len);
        host.readUpTo(h, b, VolumeFile.hostOffset(k, e[31] & ChunkTable.FLAG_SLOT, cs));
        if (b.hasRemaining()) {
          throw new IOException("data file of " + n.path() + " lost chunk " + k
              + " before its commit (host file too short)");
        }
        ops.add(new ManifestCodec.DataOp(n.id, k, e.clone(), b.array()));
        any = true;
      }
    } finally {
      if (temporary) {
        host.close(h);
      }
    }
    return any;
  }

  /**
   * Makes every inline-committed chunk durable in its data file, and new data directories in
   * theirs, so that the journal holding them may be dropped.
   */
  private void flushInline() throws IOException {
    for (Node n : unflushed) {
      if (n.deleted) {
        continue;
      }
      n.lock.writeLock().lock();
      try {
        fsyncData(n);
      } finally {
        n.lock.writeLock().unlock();
      }
    }
    List<String> dirs = List.copyOf(dirsToSync);
    for (String d : dirs) {
      host.fsyncDir(d);
    }
    unflushed.clear();
    dirs.forEach(dirsToSync::remove);
  }

  /**
   * At a clean close (after the last commit): makes every data file durable and records so, so
   * that the next open has nothing to recover and reports any altered chunk as a violation.
   */
  void closeClean() throws IOException {
    flushInline();
    store.writeCleanMarker(tag);
  }

  /** Makes a file's written chunks durable, through its open handle or a temporary one. */
  private void fsyncData(Node n) throws IOException {
    if (n.hostHandle >= 0) {
      host.fsync(n.hostHandle, false);
      return;
    }
    String p = volume.dataPath(n);
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
    unflushed.remove(n);
    n.lock.writeLock().lock();
    try {
      if (n.hostHandle >= 0) {
        host.close(n.hostHandle);
        n.hostHandle = -1;
      }
    } finally {
      n.lock.writeLock().unlock();
    }
    String p = volume.dataPath(n);
    if (host.stat(p).exists()) {
      host.delete(p);
    }
  }

  private void checkpoint() throws IOException {
    flushInline();
    store.writeCheckpoint(
        new ManifestCodec.Record(ManifestCodec.KIND_CHECKPOINT, gen, chain, tree.snapshot()));
  }
}
