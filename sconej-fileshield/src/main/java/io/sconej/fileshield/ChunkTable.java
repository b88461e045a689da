package io.sconej.fileshield;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * One file's chunk table: a 32-byte entry per chunk, kept in pages of 128 entries. Absent pages
 * are all holes, so sparse files cost nothing. Layout of an entry ({@code ChunkEntry}):
 *
 * <pre>
 *  0               12                               28        31  32
 *  +---------------+--------------------------------+---------+---+
 *  | nonce (12)    | GCM tag (16)                   | len u24 | f |
 *  +---------------+--------------------------------+---------+---+
 *  f: bit0 = slot (0 = A, 1 = B), bit1 = present (0 = hole: reads as zeros)
 * </pre>
 *
 * The tag in the table is what makes a chunk fresh: an older copy of a chunk carries an older tag
 * and fails authentication against the current entry.
 */
final class ChunkTable {
  static final int ENTRY_BYTES = 32;
  static final int PAGE_ENTRIES = 128;
  static final int FLAG_SLOT = 1;
  static final int FLAG_PRESENT = 2;

  private final TreeMap<Integer, byte[]> pages = new TreeMap<>();

  static int pageOf(long chunk) {
    return (int) (chunk / PAGE_ENTRIES);
  }

  /** Copies entry {@code chunk} into {@code dst[off..off+32)}; zeros if absent. */
  void get(long chunk, byte[] dst, int off) {
    byte[] p = pages.get(pageOf(chunk));
    int i = (int) (chunk % PAGE_ENTRIES) * ENTRY_BYTES;
    if (p == null || i >= p.length) {
      Arrays.fill(dst, off, off + ENTRY_BYTES, (byte) 0);
    } else {
      System.arraycopy(p, i, dst, off, ENTRY_BYTES);
    }
  }

  /** Flags byte of an entry (0 if absent). */
  int flags(long chunk) {
    byte[] p = pages.get(pageOf(chunk));
    int i = (int) (chunk % PAGE_ENTRIES) * ENTRY_BYTES;
    return (p == null || i >= p.length) ? 0 : p[i + 31] & 0xff;
  }

  /** Sets entry {@code chunk} from {@code src[off..off+32)}. */
  void set(long chunk, byte[] src, int off) {
    int pi = pageOf(chunk);
    int i = (int) (chunk % PAGE_ENTRIES) * ENTRY_BYTES;
    byte[] p = pages.get(pi);
    if (p == null || p.length < i + ENTRY_BYTES) {
      byte[] q = new byte[Math.max(i + ENTRY_BYTES, p == null ? 0 : p.length)];
      if (p != null) {
        System.arraycopy(p, 0, q, 0, p.length);
      }
      p = q;
      pages.put(pi, p);
    }
    System.arraycopy(src, off, p, i, ENTRY_BYTES);
  }

  /** Marks a chunk as a hole, keeping its slot bit (the committed copy may still live there). */
  void punch(long chunk) {
    byte[] p = pages.get(pageOf(chunk));
    int i = (int) (chunk % PAGE_ENTRIES) * ENTRY_BYTES;
    if (p != null && i < p.length) {
      int slot = p[i + 31] & FLAG_SLOT;
      Arrays.fill(p, i, i + ENTRY_BYTES, (byte) 0);
      p[i + 31] = (byte) slot;
    }
  }

  /** Drops every entry at or beyond {@code chunkCount}. */
  void shrinkTo(long chunkCount) {
    int lastPage = pageOf(chunkCount);
    pages.tailMap(lastPage, false).clear();
    byte[] p = pages.get(lastPage);
    if (p != null) {
      int keep = (int) (chunkCount % PAGE_ENTRIES) * ENTRY_BYTES;
      if (keep == 0) {
        pages.remove(lastPage);
      } else if (p.length > keep) {
        pages.put(lastPage, Arrays.copyOf(p, keep));
      }
    }
  }

  /** The page's bytes (a copy), or an empty array if absent. */
  byte[] page(int index) {
    byte[] p = pages.get(index);
    return p == null ? new byte[0] : p.clone();
  }

  /** Replaces a page (as read from the manifest); an empty page removes it. */
  void putPage(int index, byte[] bytes) {
    if (bytes.length == 0) {
      pages.remove(index);
    } else {
      pages.put(index, bytes.clone());
    }
  }

  /** All pages, in order (read-only view). */
  Map<Integer, byte[]> pages() {
    return java.util.Collections.unmodifiableMap(pages);
  }
}
