package io.sconej.fileshield;

import io.sconej.hostcalls.CheckedHostCalls;
import io.sconej.hostcalls.HostCalls;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;

/**
 * Gives a file's host space back once a commit has made it garbage: the slot of each rewritten
 * chunk that the new commit no longer references, both slots of each chunk that became a hole,
 * and everything past the new end of a truncated file.
 *
 * <p>Why this is crash safe: a write goes to the slot that the last commit does not reference, so
 * until commit {@code N} is durable the slots of commit {@code N-1} are the state a crash returns
 * to and must not be touched. {@link #afterCommit} runs only after the frame of commit {@code N}
 * is appended and fsynced, and only frees slots that commit {@code N} does not reference; a
 * crash at any point of it leaves commit {@code N} intact (at worst some garbage stays allocated
 * until its chunk is rewritten). It runs with the file's write lock held, so no write can land in
 * a slot between the decision to free it and the hole.
 *
 * <p>The host is hostile: a host that ignores the request, or claims a hole it did not make,
 * costs space only; a host that punches a slot still referenced is caught by the chunk's tag at
 * the next read, as any other tampering is.
 */
final class SpaceReclaim {
  private final List<long[]> ranges = new ArrayList<>();
  private final long[] runStart = {-1, -1};
  private final long[] runEnd = {-1, -1};
  private final int cs;

  private SpaceReclaim(int chunkSizeBytes) {
    this.cs = chunkSizeBytes;
  }

  /**
   * Frees what commit made garbage in {@code n}'s data file. Called by the commit after its frame
   * is durable, with {@code n}'s write lock held and before its per-commit chunk sets are cleared.
   * Never fails: the commit is already durable, and space not given back is a cost, not an error.
   */
  static void afterCommit(Volume volume, CheckedHostCalls host, Node n, long chunkCount) {
    if (n.dirtyChunks.isEmpty() && n.staleChunks.isEmpty()) {
      return;
    }
    SpaceReclaim r = new SpaceReclaim(volume.chunkSizeBytes());
    long hostEnd = r.plan(n, chunkCount);
    try {
      r.apply(volume, host, n, hostEnd);
    } catch (IOException | RuntimeException e) {
      // Space only: the commit is durable and every referenced slot is untouched. The garbage
      // stays allocated until its chunk is rewritten (the next commit of it frees it again).
    }
  }

  /** Collects the ranges to punch; returns the host length to truncate to, or -1 for none. */
  private long plan(Node n, long chunkCount) {
    BitSet touched = (BitSet) n.dirtyChunks.clone();
    touched.or(n.staleChunks);
    int ext = VolumeFile.EXTENT_CHUNKS;
    long lastExtent = chunkCount == 0 ? -1 : (chunkCount - 1) / ext;
    for (int k = touched.nextSetBit(0); k >= 0; k = touched.nextSetBit(k + 1)) {
      if (k >= chunkCount) {
        if (k / ext == lastExtent) {
          add(k, 0);
          add(k, 1);
        }
        continue; // past the last extent: the truncation below frees it
      }
      int flags = n.table.flags(k);
      boolean present = (flags & ChunkTable.FLAG_PRESENT) != 0;
      int slot = flags & ChunkTable.FLAG_SLOT;
      if (n.dirtyChunks.get(k)) {
        // slot is the working slot (a punch keeps it); 1 - slot held the previous commit's copy
        if (!present) {
          add(k, slot);
        }
        if (n.staleChunks.get(k)) {
          add(k, 1 - slot);
        }
      } else if (!present) {
        add(k, slot); // a committed chunk punched by a truncation and not rewritten
      }
    }
    flush(0);
    flush(1);
    boolean shrunk = chunkCount <= Integer.MAX_VALUE && touched.nextSetBit((int) chunkCount) >= 0;
    return shrunk ? (lastExtent + 1) * 2 * ext * (long) cs : -1;
  }

  private void add(long chunk, int slot) {
    long ext = VolumeFile.EXTENT_CHUNKS;
    long off = ((chunk / ext) * 2 + slot) * ext * cs + (chunk % ext) * cs;
    if (runEnd[slot] != off) {
      flush(slot);
      runStart[slot] = off;
    }
    runEnd[slot] = off + cs;
  }

  private void flush(int slot) {
    if (runStart[slot] >= 0) {
      ranges.add(new long[] {runStart[slot], runEnd[slot]});
      runStart[slot] = -1;
      runEnd[slot] = -1;
    }
  }

  private void apply(Volume volume, CheckedHostCalls host, Node n, long hostEnd)
      throws IOException {
    if (ranges.isEmpty() && hostEnd < 0) {
      return;
    }
    long h = n.hostHandle;
    boolean temporary = h < 0;
    if (temporary) {
      String p = volume.dataPath(n);
      if (!host.stat(p).exists()) {
        return; // nothing was ever written
      }
      h = host.open(p, HostCalls.READ | HostCalls.WRITE);
    }
    try {
      if (hostEnd >= 0) {
        host.truncate(h, hostEnd);
      }
      ranges.sort(Comparator.comparingLong(a -> a[0]));
      long start = -1;
      long end = -1;
      for (long[] a : ranges) {
        long s = a[0];
        long e = hostEnd >= 0 ? Math.min(a[1], hostEnd) : a[1];
        if (s >= e) {
          continue;
        }
        if (s != end) {
          if (start >= 0 && !host.punchHole(h, start, end - start)) {
            return; // the host cannot punch holes: do not ask again for each range
          }
          start = s;
        }
        end = e;
      }
      if (start >= 0) {
        host.punchHole(h, start, end - start);
      }
    } finally {
      if (temporary) {
        host.close(h);
      }
    }
  }
}
