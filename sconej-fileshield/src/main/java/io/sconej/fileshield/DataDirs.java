package io.sconej.fileshield;

import io.sconej.hostcalls.CheckedHostCalls;
import java.io.IOException;

/**
 * The {@code data/xx} subdirectories of a volume's host directory, which hold the data files
 * (named by node id, grouped by its first byte): making them before a data file is first written,
 * with the fsyncs that make them durable, and removing them once empty, so that the host does not
 * learn how many files ever existed (docs/formats/volume.md, "Reclaiming host space").
 *
 * <p>One lock of its own orders a directory's creation against its removal; never the namespace
 * lock, because {@link #prepare} runs under a node's lock, which a commit takes under that one.
 */
final class DataDirs {
  private final CheckedHostCalls host;
  private final String dir;
  private final NodeTree tree;
  private final CommitLog log;
  private final Object lock = new Object();

  DataDirs(CheckedHostCalls host, String dir, NodeTree tree, CommitLog log) {
    this.host = host;
    this.dir = dir;
    this.tree = tree;
    this.log = log;
  }

  /** A node's data file, relative to the volume's host directory. */
  static String relative(Node n) {
    return "data/" + n.idHex.substring(0, 2) + "/" + n.idHex;
  }

  /** A node's data file on the host. */
  String path(Node n) {
    return dir + "/" + relative(n);
  }

  /**
   * Before a data file is opened for writing: if it does not exist yet, ensures its data
   * subdirectory exists and has both directories made durable before that file's data is relied
   * on (the next commit that fsyncs data files, or the next checkpoint). An existing data file
   * needs neither, so reopening a file costs no directory fsync.
   */
  void prepare(Node n) throws IOException {
    if (host.stat(path(n)).exists()) {
      return;
    }
    String sub = dir + "/data/" + n.idHex.substring(0, 2);
    synchronized (lock) {
      if (!host.stat(sub).exists()) {
        host.mkdir(sub);
        log.dirsToSync.add(dir + "/data");
      }
      log.dirsToSync.add(sub);
    }
  }

  /** Removes data files of no node (left by a crash before their creation was committed). */
  void collectGarbage() throws IOException {
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
        remove(sub);
      }
    }
  }

  /**
   * Removes {@code data/<name>} once no live file can have its data there, so that the host does
   * not learn how many directories (hence, roughly, files) ever existed. Best effort: a directory
   * the host keeps non-empty, or refuses to remove, stays (and costs one directory).
   */
  void remove(String name) {
    synchronized (lock) { // never between prepare's check and its mkdir
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
}
