package io.sconej.fileshield;

import io.sconej.crypto.Hex;
import java.util.BitSet;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import javax.crypto.spec.SecretKeySpec;

/** In-memory state of one file or directory of an open volume. Guarded as documented. */
final class Node {
  static final byte[] ROOT_ID = new byte[16];

  final byte[] id;
  final String idHex;
  final boolean directory;
  final long createdMillis;
  /** Children by name, sorted (directories only); guarded by the volume's namespace lock. */
  final TreeMap<String, Node> children;
  /** Chunk table (files only); guarded by {@link #lock}. */
  final ChunkTable table;
  /** Chunks written since the last commit (their working copy is in the uncommitted slot). */
  final BitSet dirtyChunks = new BitSet();
  /**
   * Chunks whose last committed copy became garbage since the last commit (rewritten or punched
   * while present), so that the commit can give its slot back ({@link SpaceReclaim}).
   */
  final BitSet staleChunks = new BitSet();
  /**
   * Slots that no committed state references but that may still hold blocks on the host, bit
   * {@code 2 * chunk + slot}; punched in batches ({@link SpaceReclaim}). Guarded by {@link #lock}.
   */
  final BitSet garbageSlots = new BitSet();
  /** True once {@link #garbageSlots} outgrew its allowance at a commit; guarded by the lock. */
  boolean reclaimDue;
  final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  Node parent;
  String name;
  long modifiedMillis;
  /** Working size; guarded by {@link #lock}. */
  volatile long sizeBytes;
  boolean metaDirty;
  boolean dataDirty;
  boolean deleted;
  /** True once the node is part of a committed state. */
  boolean committed;
  /** Pages of the chunk table changed since the last commit. */
  final java.util.TreeSet<Integer> dirtyPages = new java.util.TreeSet<>();
  /** Open {@link VolumeFile}s of this node. */
  int openCount;
  /**
   * Host handle of the data file, or -1; set under the node's monitor (or its write lock), read
   * without it.
   */
  volatile long hostHandle = -1;
  /**
   * Read-only opens only: sealed chunk bytes recovered from the journal whose data-file write was
   * lost in a crash, by chunk index ({@link InlineRecovery}); null if none. Never changed after
   * open.
   */
  java.util.Map<Long, byte[]> recovered;
  SecretKeySpec key;
  NonceSequence nonces;

  Node(byte[] id, boolean directory, long createdMillis) {
    this.id = id.clone();
    this.idHex = Hex.encode(id);
    this.directory = directory;
    this.createdMillis = createdMillis;
    this.children = directory ? new TreeMap<>() : null;
    this.table = directory ? null : new ChunkTable();
  }

  boolean isRoot() {
    return parent == null;
  }

  /** Path inside the volume, for messages. */
  String path() {
    if (parent == null) {
      return "";
    }
    String p = parent.path();
    return p.isEmpty() ? name : p + "/" + name;
  }

  NodeAttributes attributes() {
    return new NodeAttributes(directory, directory ? 0 : sizeBytes, modifiedMillis, createdMillis,
        idHex);
  }
}
