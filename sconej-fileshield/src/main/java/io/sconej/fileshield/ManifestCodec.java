package io.sconej.fileshield;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Plaintext encoding of manifest records (journal commits and checkpoints). All integers are big
 * endian.
 *
 * <pre>
 * record     = "SJR1" kind:u8 gen:u64 [chain:32 if kind = CHECKPOINT] count:u32 op*
 * op NODE    = 0x01 id:16 parent:16 type:u8 (1 file, 2 dir) nameLen:u16 name:utf8
 *              size:u64 created:i64 modified:i64
 * op DELETE  = 0x02 id:16
 * op PAGE    = 0x03 id:16 page:u32 len:u32 entries:len   (len = 32 * n, n &lt;= 128)
 * op DATA    = 0x04 id:16 chunk:u64 entry:32 len:u32 sealed:len   (commits only; len &lt;= 8 MiB)
 * </pre>
 *
 * A DATA op carries the sealed bytes of one chunk written by a small commit, together with the
 * chunk-table entry they were sealed under; it changes no state by itself (the PAGE op of the
 * same record sets the entry) but lets recovery rewrite a chunk whose data-file write was lost.
 */
final class ManifestCodec {
  static final int KIND_COMMIT = 1;
  static final int KIND_CHECKPOINT = 2;
  private static final int MAX_NAME_BYTES = 1024;
  private static final int MAX_DATA_BYTES = 8 << 20;

  private ManifestCodec() {}

  sealed interface Op permits NodeOp, DeleteOp, PageOp, DataOp {}

  record NodeOp(byte[] id, byte[] parent, boolean directory, String name, long size,
      long created, long modified) implements Op {}

  record DeleteOp(byte[] id) implements Op {}

  record PageOp(byte[] id, int page, byte[] entries) implements Op {}

  /** Sealed bytes of chunk {@code chunk} of file {@code id}, valid for table entry {@code entry}. */
  record DataOp(byte[] id, long chunk, byte[] entry, byte[] sealed) implements Op {}

  record Record(int kind, long gen, byte[] chain, List<Op> ops) {}

  static byte[] encode(Record r) {
    int size = 4 + 1 + 8 + 32 + 4;
    for (Op op : r.ops) {
      size += switch (op) {
        case NodeOp n -> 1 + 16 + 16 + 1 + 2 + utf8(n.name).length + 24;
        case DeleteOp d -> 17;
        case PageOp p -> 1 + 16 + 8 + p.entries.length;
        case DataOp d -> 1 + 16 + 8 + ChunkTable.ENTRY_BYTES + 4 + d.sealed.length;
      };
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    b.put("SJR1".getBytes(StandardCharsets.US_ASCII)).put((byte) r.kind).putLong(r.gen);
    if (r.kind == KIND_CHECKPOINT) {
      b.put(r.chain);
    }
    b.putInt(r.ops.size());
    for (Op op : r.ops) {
      switch (op) {
        case NodeOp n -> {
          byte[] name = utf8(n.name);
          b.put((byte) 1).put(n.id).put(n.parent).put((byte) (n.directory ? 2 : 1));
          b.putShort((short) name.length).put(name);
          b.putLong(n.size).putLong(n.created).putLong(n.modified);
        }
        case DeleteOp d -> b.put((byte) 2).put(d.id);
        case PageOp p -> b.put((byte) 3).put(p.id).putInt(p.page).putInt(p.entries.length)
            .put(p.entries);
        case DataOp d -> b.put((byte) 4).put(d.id).putLong(d.chunk).put(d.entry)
            .putInt(d.sealed.length).put(d.sealed);
      }
    }
    return java.util.Arrays.copyOf(b.array(), b.position());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Decodes strictly; any inconsistency is a metadata violation naming the offset. */
  static Record decode(byte[] plain, int expectKind, long expectGen)
      throws IntegrityViolationException {
    ByteBuffer b = ByteBuffer.wrap(plain);
    try {
      byte[] magic = new byte[4];
      b.get(magic);
      int kind = b.get() & 0xff;
      long gen = b.getLong();
      if (!new String(magic, StandardCharsets.US_ASCII).equals("SJR1")
          || kind != expectKind
          || gen != expectGen) {
        throw bad("record header does not match its position (kind " + kind + ", gen " + gen + ")");
      }
      byte[] chain = new byte[32];
      if (kind == KIND_CHECKPOINT) {
        b.get(chain);
      }
      int count = b.getInt();
      if (count < 0 || count > plain.length) {
        throw bad("impossible op count " + count);
      }
      List<Op> ops = new ArrayList<>(Math.min(count, 1 << 16));
      for (int i = 0; i < count; i++) {
        int t = b.get() & 0xff;
        byte[] id = new byte[16];
        b.get(id);
        switch (t) {
          case 1 -> {
            byte[] parent = new byte[16];
            b.get(parent);
            int type = b.get() & 0xff;
            int nl = b.getShort() & 0xffff;
            if ((type != 1 && type != 2) || nl == 0 || nl > MAX_NAME_BYTES) {
              throw bad("malformed node op at offset " + b.position());
            }
            byte[] name = new byte[nl];
            b.get(name);
            long size = b.getLong();
            if (size < 0) {
              throw bad("negative size at offset " + b.position());
            }
            ops.add(new NodeOp(id, parent, type == 2, new String(name, StandardCharsets.UTF_8),
                size, b.getLong(), b.getLong()));
          }
          case 2 -> ops.add(new DeleteOp(id));
          case 3 -> {
            int page = b.getInt();
            int len = b.getInt();
            if (page < 0 || len < 0 || len % ChunkTable.ENTRY_BYTES != 0
                || len > ChunkTable.PAGE_ENTRIES * ChunkTable.ENTRY_BYTES) {
              throw bad("malformed page op at offset " + b.position());
            }
            byte[] e = new byte[len];
            b.get(e);
            ops.add(new PageOp(id, page, e));
          }
          case 4 -> {
            long chunk = b.getLong();
            byte[] entry = new byte[ChunkTable.ENTRY_BYTES];
            b.get(entry);
            int len = b.getInt();
            if (kind != KIND_COMMIT || chunk < 0 || len < 0 || len > MAX_DATA_BYTES
                || len > b.remaining()) {
              throw bad("malformed data op at offset " + b.position());
            }
            byte[] sealed = new byte[len];
            b.get(sealed);
            ops.add(new DataOp(id, chunk, entry, sealed));
          }
          default -> throw bad("unknown op type " + t + " at offset " + (b.position() - 17));
        }
      }
      if (b.hasRemaining()) {
        throw bad(b.remaining() + " trailing bytes");
      }
      return new Record(kind, gen, chain, ops);
    } catch (BufferUnderflowException e) {
      throw bad("record ends early");
    }
  }

  private static IntegrityViolationException bad(String detail) {
    return new IntegrityViolationException("", -1, Violation.TAMPERED_METADATA, detail);
  }
}
