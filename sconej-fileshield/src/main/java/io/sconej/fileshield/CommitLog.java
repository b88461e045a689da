package io.sconej.fileshield;

import io.sconej.hostcalls.CheckedHostCalls;
import io.sconej.hostcalls.HostCalls;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The commit machinery of a {@link Volume}: which nodes changed since the last commit, and how a
 * commit makes them durable in order: fsync the written data files and new data directories,
 * announce the next tag to the {@link CommitListener}, append one sealed journal frame and fsync
 * it, then confirm; fold the journal into a checkpoint once it outgrows it. A failure between the
 * announcement and the durable append marks the volume broken (fail closed). All methods except
 * the dirty-tracking ones run under the volume's namespace lock.
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
  final Set<String> dirsToSync = new HashSet<>();
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
      volume.removeDataDir(d);
    }
    if (store.wantsCheckpoint()) {
      checkpoint();
    }
    listener.afterCommit(tag);
    return relocated;
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
    store.writeCheckpoint(
        new ManifestCodec.Record(ManifestCodec.KIND_CHECKPOINT, gen, chain, tree.snapshot()));
  }
}
