package io.sconej.fileshield;

import io.sconej.hostcalls.CheckedHostCalls;
import io.sconej.hostcalls.HostCalls;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Gives a file's host space back once commits have made it garbage: the slot of each rewritten
 * chunk that the committed state no longer references, both slots of each chunk that became a
 * hole, and everything past the last extent of a truncated file.
 *
 * <p>Why this is crash safe: a write goes to the slot that the last commit does not reference, so
 * until commit {@code N} is durable the slots of commit {@code N-1} are the state a crash returns
 * to and must not be touched. Garbage is recorded only after the frame of commit {@code N} is
 * appended and fsynced, and only slots that the committed state does not reference are freed; a
 * crash at any point leaves the committed state intact (at worst some garbage stays allocated).
 * All of it runs with the file's write lock held, so no write can land in a slot between the
 * decision to free it and the hole.
 *
 * <p>Cost: a hole is one host call ({@code fallocate}), which costs about an fsync on file systems
 * mounted with online discard. So garbage is not punched at every commit: a file's garbage slots
 * are recorded (bit {@code 2 * chunk + slot}) and punched all at once when they exceed a fifth of
 * the file's size or {@value #MIN_GARBAGE_CHUNKS} chunks, and when the volume closes; a garbage
 * slot that a rewrite reuses in the meantime costs no call at all. Runs of unreferenced slots
 * are punched as one range, and an extent whose garbage is scattered is first gathered into one
 * half by rewriting the chunks of its other half ({@link #reclaimIfDue}).
 *
 * <p>The host is hostile: a host that ignores the request, or claims a hole it did not make,
 * costs space only; a host that punches a slot still referenced is caught by the chunk's tag at
 * the next read, as any other tampering is.
 */
final class SpaceReclaim {
  /** Garbage a file may keep before it is punched, whatever its size. */
  static final int MIN_GARBAGE_CHUNKS = 8;
  private static final int EXT = VolumeFile.EXTENT_CHUNKS;
  private static final int MAX_TRACKED_CHUNKS = 1 << 30;
  /** Ranges an extent may need punched before its chunks are gathered into one half instead. */
  static final int MAX_RUNS_PER_EXTENT = 4;

  private SpaceReclaim() {}

  /**
   * Records what the commit made garbage in {@code n}'s data file, truncates it after a
   * truncation, and marks its garbage due for {@link #reclaimIfDue} if there is too much. Called
   * by the commit after its frame is durable, with {@code n}'s write lock held and before its
   * per-commit chunk sets are cleared. Never fails: the commit is already durable, and space not
   * given back is a cost.
   */
  static void afterCommit(Volume volume, CheckedHostCalls host, Node n, long chunkCount) {
    if (n.dirtyChunks.isEmpty() && n.staleChunks.isEmpty()) {
      return;
    }
    int cs = volume.chunkSizeBytes();
    BitSet touched = (BitSet) n.dirtyChunks.clone();
    touched.or(n.staleChunks);
    long lastExtent = chunkCount == 0 ? -1 : (chunkCount - 1) / EXT;
    long keptChunks = (lastExtent + 1) * EXT; // chunks whose slots stay below the new end
    for (int k = touched.nextSetBit(0); k >= 0 && k < keptChunks; k = touched.nextSetBit(k + 1)) {
      if (k >= MAX_TRACKED_CHUNKS) {
        break; // past 4 TiB (at 4 KiB chunks) garbage is not tracked: it stays allocated
      }
      if (k >= chunkCount) {
        n.garbageSlots.set(2 * k, 2 * k + 2); // past the end, within the last extent
        continue;
      }
      int flags = n.table.flags(k);
      boolean present = (flags & ChunkTable.FLAG_PRESENT) != 0;
      int slot = flags & ChunkTable.FLAG_SLOT;
      if (n.dirtyChunks.get(k)) {
        // slot is the working slot (a punch keeps it); 1 - slot held the previous commit's copy
        n.garbageSlots.set(2 * k + slot, !present);
        if (n.staleChunks.get(k)) {
          n.garbageSlots.set(2 * k + 1 - slot);
        }
      } else if (!present) {
        n.garbageSlots.set(2 * k + slot); // a committed chunk punched by a truncation
      }
    }
    boolean shrunk = keptChunks <= Integer.MAX_VALUE && touched.nextSetBit((int) keptChunks) >= 0;
    n.garbageSlots.clear((int) Math.min(2 * keptChunks, Integer.MAX_VALUE), Integer.MAX_VALUE);
    try {
      if (shrunk) {
        withHandle(volume, host, n, h -> host.truncate(h, 2 * keptChunks * cs));
      }
      long garbage = n.garbageSlots.cardinality();
      n.reclaimDue = garbage > MIN_GARBAGE_CHUNKS && garbage * cs > n.sizeBytes / 5;
    } catch (IOException | RuntimeException e) {
      // Space only: the commit is durable and every referenced slot is untouched; the garbage
      // stays recorded and is tried again later.
    }
  }

  /**
   * Punches every recorded garbage slot of {@code n} (caller holds its write lock, no
   * uncommitted writes are pending in it). Best effort, as {@link #afterCommit}.
   */
  static void punchAll(Volume volume, CheckedHostCalls host, Node n) throws IOException {
    if (n.dirtyChunks.isEmpty()) {
      reclaim(volume, host, n, false);
    }
  }

  /**
   * Reclaims {@code n}'s recorded garbage if {@link #afterCommit} found too much of it. Called by
   * the commit once the per-commit chunk sets are cleared, with the write lock held. Where an
   * extent's garbage is scattered (more than {@value #MAX_RUNS_PER_EXTENT} ranges to punch) and
   * {@code relocate} is true, the chunks of the extent's less used half are rewritten into the
   * other half instead (ordinary shadow writes, into slots no commit references), so that after
   * the next commit that half is one range to punch: a few chunk writes cost far less than
   * dozens of punches.
   *
   * @return true if chunks were rewritten (the caller commits them)
   */
  static boolean reclaimIfDue(Volume volume, CheckedHostCalls host, Node n, boolean relocate) {
    if (!n.reclaimDue) {
      return false;
    }
    n.reclaimDue = false;
    try {
      return reclaim(volume, host, n, relocate);
    } catch (IntegrityViolationException e) {
      volume.violated(e, n); // a rewrite reads the chunk first
      return true;
    } catch (IOException | RuntimeException e) {
      return false; // space only, as in afterCommit
    }
  }

  private static boolean reclaim(Volume volume, CheckedHostCalls host, Node n, boolean relocate)
      throws IOException {
    if (n.garbageSlots.isEmpty()) {
      return false;
    }
    int cs = volume.chunkSizeBytes();
    boolean[] moved = {false};
    withHandle(volume, host, n, h -> {
      BitSet g = n.garbageSlots;
      long[] run = {-1, -1}; // the pending range: start, end
      List<long[]> ranges = new ArrayList<>();
      VolumeFile writer = relocate ? new VolumeFile(volume, n, true, false, false) : null;
      // In host order: extent by extent, slot A's chunks, then slot B's.
      for (int bit = g.nextSetBit(0); bit >= 0; bit = g.nextSetBit(bit + 1)) {
        long e = (bit >>> 1) / EXT;
        ranges.clear();
        for (int s = 0; s < 2; s++) {
          for (long k = e * EXT; k < (e + 1) * EXT; k++) {
            if (g.get((int) (2 * k + s))) {
              long off = offset(k, s, cs);
              long[] last = ranges.isEmpty() ? null : ranges.getLast();
              if (last != null && (last[1] == off || unreferencedBetween(n, last[1], off, cs))) {
                last[1] = off + cs;
              } else {
                ranges.add(new long[] {off, off + cs});
              }
            }
          }
        }
        int minority = relocate && ranges.size() > MAX_RUNS_PER_EXTENT ? lessUsedHalf(n, e) : -1;
        if (minority >= 0) {
          for (long k = e * EXT; k < (e + 1) * EXT; k++) {
            int flags = n.table.flags(k);
            if ((flags & ChunkTable.FLAG_PRESENT) != 0
                && (flags & ChunkTable.FLAG_SLOT) == minority) {
              writer.relocateLocked(k);
            }
          }
          moved[0] = true;
        } else {
          for (long[] r : ranges) {
            if (run[0] >= 0 && (run[1] == r[0] || unreferencedBetween(n, run[1], r[0], cs))) {
              run[1] = r[1];
              continue;
            }
            if (run[0] >= 0 && !host.punchHole(h, run[0], run[1] - run[0])) {
              return; // the host cannot punch holes: do not ask again for each range
            }
            run[0] = r[0];
            run[1] = r[1];
          }
          g.clear((int) (2 * e * EXT), (int) (2 * (e + 1) * EXT));
        }
        bit = (int) (2 * (e + 1) * EXT) - 1;
      }
      if (run[0] >= 0) {
        host.punchHole(h, run[0], run[1] - run[0]);
      }
    });
    if (moved[0]) {
      n.dataDirty = true;
      volume.markDirty(n);
    }
    return moved[0];
  }

  /** The half (slot) of extent {@code e} with fewer committed chunks, or -1 if one is empty. */
  private static int lessUsedHalf(Node n, long e) {
    int[] used = new int[2];
    for (long k = e * EXT; k < (e + 1) * EXT; k++) {
      int flags = n.table.flags(k);
      if ((flags & ChunkTable.FLAG_PRESENT) != 0) {
        used[flags & ChunkTable.FLAG_SLOT]++;
      }
    }
    if (used[0] == 0 || used[1] == 0) {
      return -1;
    }
    return used[0] <= used[1] ? 0 : 1;
  }

  static long offset(long chunk, int slot, int cs) {
    return ((chunk / EXT) * 2 + slot) * (long) EXT * cs + (chunk % EXT) * (long) cs;
  }

  /** True if no committed chunk references a slot in host range {@code [from, to)}. */
  private static boolean unreferencedBetween(Node n, long from, long to, int cs) {
    if (to < from || to - from > (long) EXT * cs) {
      return false; // out of order or too far: a separate range
    }
    for (long off = from; off < to; off += cs) {
      long unit = off / ((long) EXT * cs); // 2 * extent + slot
      long k = (unit / 2) * EXT + (off % ((long) EXT * cs)) / cs;
      int flags = n.table.flags(k);
      if ((flags & ChunkTable.FLAG_PRESENT) != 0 && (flags & ChunkTable.FLAG_SLOT) == unit % 2) {
        return false;
      }
    }
    return true;
  }

  private interface HandleAction {
    void run(long handle) throws IOException;
  }

  private static void withHandle(Volume volume, CheckedHostCalls host, Node n, HandleAction a)
      throws IOException {
    long h = n.hostHandle;
    boolean temporary = h < 0;
    if (temporary) {
      String p = volume.dataPath(n);
      if (!host.stat(p).exists()) {
        n.garbageSlots.clear();
        return; // nothing was ever written
      }
      h = host.open(p, HostCalls.READ | HostCalls.WRITE);
    }
    try {
      a.run(h);
    } finally {
      if (temporary) {
        host.close(h);
      }
    }
  }
}
