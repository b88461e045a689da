package io.sconej.fileshield;

import io.sconej.crypto.Hex;
import io.sconej.hostcalls.CheckedHostCalls;
import io.sconej.hostcalls.HostCalls;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recovery of chunks committed inline: a small commit carries the sealed bytes of the chunks it
 * wrote in DATA ops of its journal frame and does not fsync their data files (see {@link
 * CommitLog}), so after a crash a data file may lack, or hold a torn copy of, a committed chunk.
 * At open, once the journal has been replayed, every DATA op whose entry is still the chunk's
 * entry in the table is the committed content of that chunk: a writable open writes it back into
 * its slot where the data file differs and leaves its data file to be fsynced before the next
 * checkpoint drops the journal; a read-only open serves it from memory instead.
 *
 * <p>Security: the bytes come from an authenticated journal frame and are checked against the
 * table entry's GCM tag like any chunk read from a data file, so a host that alters them is
 * detected at the read. A DATA op whose entry is no longer current (the chunk was rewritten,
 * punched or its file deleted by a later commit) is ignored, so an older version never overwrites
 * a newer one.
 */
final class InlineRecovery {
  private InlineRecovery() {}

  /** The chunks to recover: for each file and chunk, the newest DATA op if its entry is current. */
  static Map<Node, Map<Long, byte[]>> pending(NodeTree tree, List<ManifestCodec.Record> commits) {
    Map<String, ManifestCodec.DataOp> last = new LinkedHashMap<>();
    for (ManifestCodec.Record r : commits) {
      for (ManifestCodec.Op op : r.ops()) {
        if (op instanceof ManifestCodec.DataOp d) {
          last.put(Hex.encode(d.id()) + "/" + d.chunk(), d);
        }
      }
    }
    Map<Node, Map<Long, byte[]>> out = new LinkedHashMap<>();
    byte[] e = new byte[ChunkTable.ENTRY_BYTES];
    for (ManifestCodec.DataOp d : last.values()) {
      Node n = tree.byId.get(Hex.encode(d.id()));
      if (n == null || n.directory || d.chunk() >= tree.chunkCount(n.sizeBytes)) {
        continue;
      }
      n.table.get(d.chunk(), e, 0);
      if ((e[31] & ChunkTable.FLAG_PRESENT) != 0 && Arrays.equals(e, d.entry())) {
        out.computeIfAbsent(n, k -> new HashMap<>()).put(d.chunk(), d.sealed());
      }
    }
    return out;
  }

  /**
   * Makes the data files hold every pending chunk (writable), or keeps them in memory for reads
   * (read-only). Returns the nodes whose data files must be fsynced before the next checkpoint.
   */
  static List<Node> recover(Volume v, CheckedHostCalls host, CommitLog log,
      Map<Node, Map<Long, byte[]>> pending, boolean writable) throws IOException {
    if (!writable) {
      pending.forEach((n, chunks) -> n.recovered = Map.copyOf(chunks));
      return List.of();
    }
    int cs = v.chunkSizeBytes();
    for (var p : pending.entrySet()) {
      Node n = p.getKey();
      String path = v.dataPath(n);
      String data = v.hostDirectory() + "/data";
      String sub = data + "/" + n.idHex.substring(0, 2);
      if (!host.stat(sub).exists()) {
        host.mkdir(sub);
      }
      log.dirsToSync.add(data);
      log.dirsToSync.add(sub);
      long h = host.open(path, HostCalls.READ | HostCalls.WRITE | HostCalls.CREATE);
      try {
        byte[] e = new byte[ChunkTable.ENTRY_BYTES];
        for (var c : p.getValue().entrySet()) {
          n.table.get(c.getKey(), e, 0);
          long off = VolumeFile.hostOffset(c.getKey(), e[31] & ChunkTable.FLAG_SLOT, cs);
          byte[] want = c.getValue();
          ByteBuffer have = ByteBuffer.allocate(want.length);
          host.readUpTo(h, have, off);
          if (have.position() != want.length || !Arrays.equals(have.array(), want)) {
            host.writeFully(h, ByteBuffer.wrap(want), off);
          }
        }
      } finally {
        host.close(h);
      }
    }
    return List.copyOf(pending.keySet());
  }

  /**
   * Read path of a read-only volume: overwrites, in {@code sealed}, the chunks {@code first..last}
   * (read from the data file into {@code sealed[(c - first) * cs ...]}) that were recovered from
   * the journal; returns the byte count now valid in {@code sealed}.
   */
  static int patch(Node n, long first, long last, byte[] sealed, int got, int cs) {
    int valid = got;
    for (long c = first; c <= last; c++) {
      byte[] b = n.recovered.get(c);
      if (b != null) {
        int at = (int) ((c - first) * cs);
        System.arraycopy(b, 0, sealed, at, b.length);
        valid = Math.max(valid, at + b.length);
      }
    }
    return valid;
  }
}
