package io.sconej.it.crash;

import io.sconej.fileshield.Volume;
import io.sconej.fileshield.VolumeFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.TreeMap;

/** Content shared by the crash child and the checker: bytes derived from (op sequence, offset). */
final class CrashContent {
  private CrashContent() {}

  /** The byte that the write of op {@code seq} puts at file offset {@code offset}. */
  static byte at(long seq, long offset) {
    long x = (seq + 1) * 0x9E3779B97F4A7C15L ^ (offset + 1) * 0xC2B2AE3D27D4EB4FL;
    x ^= x >>> 31;
    return (byte) (x * 0x94D049BB133111EBL >>> 56);
  }

  /** The bytes of op {@code seq}'s write of {@code length} bytes at {@code offset}. */
  static byte[] bytes(long seq, long offset, int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = at(seq, offset + i);
    }
    return b;
  }

  /** Every regular file of the volume and its full content, by path. */
  static TreeMap<String, byte[]> readAll(Volume v) throws IOException {
    TreeMap<String, byte[]> out = new TreeMap<>();
    readDir(v, "", out);
    return out;
  }

  private static void readDir(Volume v, String dir, TreeMap<String, byte[]> out)
      throws IOException {
    for (String name : v.list(dir)) {
      String p = dir.isEmpty() ? name : dir + "/" + name;
      if (v.stat(p).orElseThrow().directory()) {
        readDir(v, p, out);
        continue;
      }
      try (VolumeFile f = v.open(p, Set.of(StandardOpenOption.READ))) {
        long size = f.size();
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(size));
        while (b.hasRemaining()) {
          if (f.read(b, b.position()) < 0) {
            throw new IOException(p + ": end of file at " + b.position() + " of " + size);
          }
        }
        out.put(p, b.array());
      }
    }
  }
}
