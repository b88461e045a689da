package io.sconej.fileshield;

import io.sconej.crypto.Rng;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;

/**
 * Namespace mutations of a {@link Volume} on its {@link NodeTree}, recording every change in the
 * {@link CommitLog}. Callers hold the volume's namespace lock and have checked that the volume is
 * usable (and writable, for changes).
 */
final class Namespace {
  private final NodeTree tree;
  private final CommitLog log;

  Namespace(NodeTree tree, CommitLog log) {
    this.tree = tree;
    this.log = log;
  }

  Node lookup(String path) throws IOException {
    Node n = tree.resolve(VolumePaths.split(path));
    if (n == null) {
      throw new NoSuchFileException(path);
    }
    return n;
  }

  Node parentFor(List<String> segs, String path) throws IOException {
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

  Node newNode(Node parent, String name, boolean directory) {
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
    tree.added(n);
    return n;
  }

  void unlink(Node n) {
    n.parent.children.remove(n.name);
    n.parent.modifiedMillis = System.currentTimeMillis();
    metaChanged(n.parent);
    log.dirtyNodes.remove(n);
    tree.byId.remove(n.idHex);
    tree.removed(n);
    n.deleted = true;
    log.deletedSinceCommit.add(n);
  }

  /** Records that a node changed since the last commit. */
  void markDirty(Node n) {
    if (!n.isRoot()) {
      log.dirtyNodes.add(n);
    }
  }

  void metaChanged(Node n) {
    if (!n.isRoot()) {
      n.metaDirty = true;
      log.dirtyNodes.add(n);
    }
  }

  void createDirectory(String path) throws IOException {
    List<String> segs = VolumePaths.split(path);
    Node p = parentFor(segs, path);
    if (p.children.containsKey(segs.getLast())) {
      throw new FileAlreadyExistsException(path);
    }
    newNode(p, segs.getLast(), true);
  }

  void delete(String path) throws IOException {
    Node n = lookup(path);
    if (n.isRoot()) {
      throw new IOException("cannot delete the root directory of a volume");
    }
    if (n.directory && !n.children.isEmpty()) {
      throw new DirectoryNotEmptyException(path);
    }
    unlink(n);
  }

  void rename(String from, String to, boolean replaceExisting) throws IOException {
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
  }
}
