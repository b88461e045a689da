package io.sconej.fileshield;

import io.sconej.crypto.Hex;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The namespace of a volume: nodes by id, linked into a tree. Rebuilt from the manifest at open
 * (checkpoint, then commits in order), validated as a whole, and serialised for checkpoints.
 */
final class NodeTree {
  final Map<String, Node> byId = new HashMap<>();
  final Node root = new Node(Node.ROOT_ID, true, 0);
  private final Map<String, String> parentOf = new HashMap<>();
  /** Live files per data directory ({@code data/<first id byte>}), so deletes can remove it. */
  private final int[] filesPerDataDir = new int[256];
  private final int chunkSizeBytes;

  NodeTree(int chunkSizeBytes) {
    this.chunkSizeBytes = chunkSizeBytes;
    root.name = "";
    byId.put(root.idHex, root);
  }

  long chunkCount(long size) {
    return (size + chunkSizeBytes - 1) / chunkSizeBytes;
  }

  private static IntegrityViolationException bad(String detail) {
    return new IntegrityViolationException("", -1, Violation.TAMPERED_METADATA, detail);
  }

  /** Applies one record's ops (links are resolved by {@link #link()} at the end). */
  void apply(ManifestCodec.Record r) throws IntegrityViolationException {
    for (ManifestCodec.Op op : r.ops()) {
      switch (op) {
        case ManifestCodec.NodeOp n -> {
          String id = Hex.encode(n.id());
          if (id.equals(root.idHex)) {
            throw bad("a record rewrites the root directory");
          }
          Node node = byId.get(id);
          if (node == null) {
            node = new Node(n.id(), n.directory(), n.created());
            byId.put(id, node);
          } else if (node.directory != n.directory()) {
            throw bad("node " + id + " changes kind");
          } else if (!n.directory() && n.size() < node.sizeBytes) {
            node.table.shrinkTo(chunkCount(n.size()));
          }
          node.name = n.name();
          node.sizeBytes = n.size();
          node.modifiedMillis = n.modified();
          node.committed = true;
          parentOf.put(id, Hex.encode(n.parent()));
        }
        case ManifestCodec.DeleteOp d -> {
          String id = Hex.encode(d.id());
          if (byId.remove(id) == null || id.equals(root.idHex)) {
            throw bad("a record deletes unknown node " + id);
          }
          parentOf.remove(id);
        }
        case ManifestCodec.PageOp p -> {
          Node node = byId.get(Hex.encode(p.id()));
          if (node == null || node.directory) {
            throw bad("chunk table page for a node that is not a file");
          }
          node.table.putPage(p.page(), p.entries());
        }
        case ManifestCodec.DataOp d -> {
          Node node = byId.get(Hex.encode(d.id()));
          if (node == null || node.directory) {
            throw bad("chunk data for a node that is not a file");
          }
        }
      }
    }
  }

  /** Links every node to its parent and checks the tree: parents exist, names unique, no cycle. */
  void link() throws IntegrityViolationException {
    for (Node n : byId.values()) {
      if (n.directory) {
        n.children.clear();
      }
    }
    for (Node n : byId.values()) {
      if (n == root) {
        continue;
      }
      Node p = byId.get(parentOf.get(n.idHex));
      if (p == null || !p.directory) {
        throw bad("node " + n.idHex + " has no parent directory");
      }
      if (!VolumePaths.isValidName(n.name) || p.children.putIfAbsent(n.name, n) != null) {
        throw bad("invalid or duplicate name in directory " + p.idHex);
      }
      n.parent = p;
      if (!n.directory) {
        n.table.shrinkTo(chunkCount(n.sizeBytes));
      }
    }
    int reached = 0;
    ArrayDeque<Node> q = new ArrayDeque<>(List.of(root));
    while (!q.isEmpty()) {
      Node n = q.poll();
      reached++;
      if (n.directory) {
        q.addAll(n.children.values());
      }
    }
    if (reached != byId.size()) {
      throw bad((byId.size() - reached) + " nodes are not reachable from the root (cycle)");
    }
    parentOf.clear();
    java.util.Arrays.fill(filesPerDataDir, 0);
    for (Node n : byId.values()) {
      added(n);
    }
  }

  /** Counts a new live node (called when it joins {@link #byId}). */
  void added(Node n) {
    if (!n.directory) {
      filesPerDataDir[n.id[0] & 0xff]++;
    }
  }

  /** Uncounts a node that left {@link #byId}. */
  void removed(Node n) {
    if (!n.directory) {
      filesPerDataDir[n.id[0] & 0xff]--;
    }
  }

  /** True if a live file's data may live in the data directory named {@code dirName} (2 hex). */
  boolean dataDirInUse(String dirName) {
    int b;
    try {
      b = Integer.parseInt(dirName, 16);
    } catch (NumberFormatException e) {
      return false;
    }
    return dirName.length() != 2 || b < 0 || b > 255 || filesPerDataDir[b] > 0;
  }

  /** The whole namespace as ops, parents before children (for a checkpoint). */
  List<ManifestCodec.Op> snapshot() {
    List<ManifestCodec.Op> ops = new ArrayList<>();
    ArrayDeque<Node> q = new ArrayDeque<>(root.children.values());
    while (!q.isEmpty()) {
      Node n = q.poll();
      ops.add(nodeOp(n));
      if (n.directory) {
        q.addAll(n.children.values());
      } else {
        for (var e : n.table.pages().entrySet()) {
          ops.add(new ManifestCodec.PageOp(n.id, e.getKey(), e.getValue().clone()));
        }
      }
    }
    return ops;
  }

  static ManifestCodec.NodeOp nodeOp(Node n) {
    return new ManifestCodec.NodeOp(n.id, n.parent.id, n.directory, n.name,
        n.directory ? 0 : n.sizeBytes, n.createdMillis, n.modifiedMillis);
  }

  /** Resolves a validated path to its node, or null. */
  Node resolve(List<String> segments) {
    Node n = root;
    for (String s : segments) {
      if (!n.directory) {
        return null;
      }
      n = n.children.get(s);
      if (n == null) {
        return null;
      }
    }
    return n;
  }
}
