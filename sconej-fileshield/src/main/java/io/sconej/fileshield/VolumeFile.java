package io.sconej.fileshield;

import io.sconej.hostcalls.HostCalls;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.security.GeneralSecurityException;

/**
 * Positional, thread-safe I/O on one file of a {@link Volume}.
 *
 * <p>Chunk {@code i} of a file lives in one of two slots (A, B) of its host data file; a write
 * always goes to the slot the last commit does not reference, so a crash before the next commit
 * leaves the committed copy intact (shadow paging). Slots are interleaved in extents of 64 chunks
 * so that sequential I/O stays contiguous on the host:
 *
 * <pre>
 * hostOffset(i, slot) = ((i / 64) * 2 + slot) * 64 * chunkSize + (i % 64) * chunkSize
 * </pre>
 *
 * Security guarantees: a read authenticates every chunk against the tag in the file's chunk table
 * before any of its bytes reach the caller; a violation throws {@link
 * IntegrityViolationException} naming the file and chunk, and no byte of that chunk is returned.
 * The volume's {@link ViolationListener} hears of it first (the runtime's aborts the enclave).
 */
public final class VolumeFile implements Closeable {
  static final int EXTENT_CHUNKS = 64;
  private static final long MAX_CHUNKS = 1L << 31;

  private final Volume volume;
  private final Node node;
  private final boolean writable;
  private final boolean append;
  private final boolean syncEachWrite;
  private final int cs;
  private final ChunkReader reader;
  private volatile boolean closed;

  VolumeFile(Volume volume, Node node, boolean writable, boolean append, boolean syncEachWrite) {
    this.volume = volume;
    this.node = node;
    this.writable = writable;
    this.append = append;
    this.syncEachWrite = syncEachWrite;
    this.cs = volume.chunkSizeBytes();
    this.reader = new ChunkReader(this, volume, node);
  }

  /** The file's path inside the volume (at the time of the call). */
  public String path() {
    return node.path();
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new ClosedChannelException();
    }
    volume.ensureUsable();
  }

  long hostOffset(long chunk, int slot) {
    return hostOffset(chunk, slot, cs);
  }

  /** Where slot {@code slot} of chunk {@code chunk} lives in a data file of chunk size cs. */
  static long hostOffset(long chunk, int slot, int cs) {
    return ((chunk / EXTENT_CHUNKS) * 2 + slot) * (long) EXTENT_CHUNKS * cs
        + (chunk % EXTENT_CHUNKS) * (long) cs;
  }

  long handle(boolean forWrite) throws IOException {
    long h = node.hostHandle;
    if (h >= 0) {
      return h; // reset to -1 only when no VolumeFile of the node is open, or the volume closes
    }
    synchronized (node) {
      if (node.hostHandle < 0) {
        String p = volume.dataPath(node);
        if (forWrite) {
          volume.dataDirs.prepare(node);
          node.hostHandle = volume.host().open(p,
              HostCalls.READ | HostCalls.WRITE | HostCalls.CREATE);
        } else {
          if (!volume.host().stat(p).exists()) {
            throw new IntegrityViolationException(path(), -1, Violation.MISSING_DATA,
                "data file is missing on the host");
          }
          node.hostHandle = volume.host().open(p, volume.isReadOnly()
              ? HostCalls.READ : HostCalls.READ | HostCalls.WRITE);
        }
      }
      return node.hostHandle;
    }
  }

  private void keys() {
    if (node.key != null) {
      return; // set once, never cleared; SecretKeySpec's fields are final
    }
    synchronized (node) {
      if (node.key == null) {
        node.nonces = new NonceSequence();
        node.key = volume.keys.fileKey(node.id); // last: the fast path above tests it
      }
    }
  }

  /** Current size in bytes (including unsynced writes). */
  public long size() throws IOException {
    ensureOpen();
    return node.sizeBytes;
  }

  /**
   * Reads into {@code dst} from {@code position}.
   *
   * @return bytes read, or -1 if {@code position} is at or beyond the end
   */
  public int read(ByteBuffer dst, long position) throws IOException {
    ensureOpen();
    if (position < 0) {
      throw new IllegalArgumentException("negative position " + position);
    }
    node.lock.readLock().lock();
    try {
      long size = node.sizeBytes;
      if (position >= size) {
        return -1;
      }
      int want = (int) Math.min(dst.remaining(), size - position);
      readLocked(dst, position, want);
      return want;
    } catch (IntegrityViolationException e) {
      volume.violated(e, node);
      throw e;
    } finally {
      node.lock.readLock().unlock();
    }
  }

  private void readLocked(ByteBuffer dst, long position, int want) throws IOException {
    keys();
    reader.read(dst, position, want);
  }

  /** Reads chunk {@code k}'s plaintext (zeros past its stored length) into {@code out[0..cs)}. */
  private void readChunk(long k, ByteBuffer out) throws IOException {
    out.clear();
    long size = node.sizeBytes;
    long kStart = k * cs;
    int n = (int) Math.max(0, Math.min(cs, size - kStart));
    if (n > 0) {
      readLocked(out, kStart, n);
    }
    while (out.position() < cs) {
      out.put((byte) 0);
    }
    out.flip();
  }

  /**
   * Writes all of {@code src} at {@code position} (at the end if opened with APPEND), extending
   * the file as needed; the gap before {@code position} reads as zeros.
   *
   * @return the number of bytes written
   */
  public int write(ByteBuffer src, long position) throws IOException {
    ensureOpen();
    if (!writable) {
      throw new NonWritableChannelException();
    }
    if (position < 0) {
      throw new IllegalArgumentException("negative position " + position);
    }
    int n = src.remaining();
    node.lock.writeLock().lock();
    try {
      long pos = append ? node.sizeBytes : position;
      if ((pos + n + cs - 1) / cs > MAX_CHUNKS) {
        throw new IOException(path() + ": file would exceed " + MAX_CHUNKS + " chunks");
      }
      if (n > 0) {
        writeLocked(src, pos);
      }
      node.modifiedMillis = System.currentTimeMillis();
      node.dataDirty = true;
      volume.markDirty(node);
    } catch (IntegrityViolationException e) {
      volume.violated(e, node); // a partial-chunk write reads the chunk first
      throw e;
    } finally {
      node.lock.writeLock().unlock();
    }
    if (syncEachWrite) {
      ensureOpen();
      volume.syncFor(node);
    }
    return n;
  }

  private void writeLocked(ByteBuffer src, long position) throws IOException {
    keys();
    long end = position + src.remaining();
    long newSize = Math.max(node.sizeBytes, end);
    long h = handle(true);
    byte[] e = new byte[ChunkTable.ENTRY_BYTES];
    byte[] nonce = new byte[12];
    Buffers.Lease lease = Buffers.acquire(cs);
    try {
      ByteBuffer batch = lease.batch();
      ByteBuffer scratch = lease.plain();
      long runStart = -1;
      int runLen = 0;
      for (long k = position / cs; k <= (end - 1) / cs; k++) {
        long kStart = k * cs;
        int newLen = (int) Math.min(cs, newSize - kStart);
        int from = (int) (Math.max(position, kStart) - kStart);
        int to = (int) (Math.min(end, kStart + cs) - kStart);
        node.table.get(k, e, 0);
        int oldSlot = e[31] & ChunkTable.FLAG_SLOT;
        boolean firstSinceCommit = !node.dirtyChunks.get((int) k);
        int slot = firstSinceCommit ? 1 - oldSlot : oldSlot;
        if (firstSinceCommit && (e[31] & ChunkTable.FLAG_PRESENT) != 0) {
          node.staleChunks.set((int) k); // the committed copy in oldSlot is garbage after commit
        }
        ByteBuffer plain;
        int srcAt = src.position() + (int) (kStart + from - position);
        if (from == 0 && to >= newLen) {
          plain = src.slice(srcAt, newLen);
        } else {
          readChunk(k, scratch);
          scratch.position(from);
          scratch.put(src.slice(srcAt, to - from));
          scratch.position(0);
          plain = scratch;
        }
        long off = hostOffset(k, slot);
        if (runStart >= 0 && (off != runStart + runLen || runLen + cs > batch.capacity() - 16)) {
          volume.host().writeFully(h, batch.clear().limit(runLen), runStart);
          runStart = -1;
        }
        if (runStart < 0) {
          runStart = off;
          runLen = 0;
        }
        batch.clear().position(runLen);
        node.nonces.next(nonce, 0);
        System.arraycopy(nonce, 0, e, 0, 12);
        try {
          volume.cipher.seal(node.key, nonce, node.id, k, plain, newLen, batch, e, 12);
        } catch (GeneralSecurityException ex) {
          throw new IOException("AES-GCM failure on " + path() + " chunk " + k, ex);
        }
        runLen = (int) (off - runStart) + newLen;
        e[28] = (byte) (newLen >>> 16);
        e[29] = (byte) (newLen >>> 8);
        e[30] = (byte) newLen;
        e[31] = (byte) (ChunkTable.FLAG_PRESENT | slot);
        node.table.set(k, e, 0);
        node.dirtyChunks.set((int) k);
        node.dirtyPages.add(ChunkTable.pageOf(k));
        if (newLen < cs) {
          // a short (last) chunk ends the run: the next chunk's slot is not contiguous
          volume.host().writeFully(h, batch.clear().limit(runLen), runStart);
          runStart = -1;
        }
      }
      if (runStart >= 0) {
        volume.host().writeFully(h, batch.clear().limit(runLen), runStart);
      }
      src.position(src.position() + (int) (end - position));
      node.sizeBytes = newSize;
    } finally {
      lease.release();
    }
  }

  /**
   * Rewrites chunk {@code k} unchanged (authenticated, re-sealed with a fresh nonce) into the
   * slot the last commit does not reference, for {@link SpaceReclaim}. The caller holds the write
   * lock and no write is pending since the last commit, so the slot flips.
   */
  void relocateLocked(long k) throws IOException {
    Buffers.Lease lease = Buffers.acquire(cs);
    try {
      ByteBuffer b = lease.plain();
      readChunk(k, b);
      b.limit((int) Math.min(cs, node.sizeBytes - k * cs));
      writeLocked(b, k * cs);
    } finally {
      lease.release();
    }
  }

  /** Shrinks the file to {@code sizeBytes}; a larger size leaves it unchanged. */
  public void truncate(long sizeBytes) throws IOException {
    ensureOpen();
    if (!writable) {
      throw new NonWritableChannelException();
    }
    if (sizeBytes < 0) {
      throw new IllegalArgumentException("negative size " + sizeBytes);
    }
    node.lock.writeLock().lock();
    try {
      long old = node.sizeBytes;
      if (sizeBytes >= old) {
        return;
      }
      long count = (sizeBytes + cs - 1) / cs;
      int tail = (int) (sizeBytes % cs);
      if (tail != 0) {
        long k = count - 1;
        int flags = node.table.flags(k);
        byte[] e = new byte[ChunkTable.ENTRY_BYTES];
        node.table.get(k, e, 0);
        if ((flags & ChunkTable.FLAG_PRESENT) != 0 && ChunkReader.length(e) > tail) {
          Buffers.Lease lease = Buffers.acquire(cs);
          try {
            ByteBuffer b = lease.plain();
            readChunk(k, b);
            b.limit(tail);
            node.sizeBytes = k * cs; // so the rewrite below produces exactly `tail` bytes
            writeLocked(b, k * cs);
          } finally {
            lease.release();
          }
        }
      }
      for (long c = count; c < (old + cs - 1) / cs; c++) {
        if ((c % ChunkTable.PAGE_ENTRIES) == 0 && node.table.page(ChunkTable.pageOf(c)).length == 0) {
          c += ChunkTable.PAGE_ENTRIES - 1; // an absent page is all holes
          continue;
        }
        if ((node.table.flags(c) & ChunkTable.FLAG_PRESENT) != 0
            && !node.dirtyChunks.get((int) c)) {
          node.staleChunks.set((int) c); // its committed slot is garbage after the commit
        }
        node.table.punch(c);
        node.dirtyPages.add(ChunkTable.pageOf(c));
      }
      node.sizeBytes = sizeBytes;
      node.modifiedMillis = System.currentTimeMillis();
      node.dataDirty = true;
      volume.markDirty(node);
    } catch (IntegrityViolationException e) {
      volume.violated(e, node); // a truncation inside a chunk reads the chunk first
      throw e;
    } finally {
      node.lock.writeLock().unlock();
    }
  }

  /**
   * Commits this file's data and all other pending changes of the volume durably.
   *
   * @return the volume's new tag
   */
  public VolumeTag force() throws IOException {
    ensureOpen();
    return volume.sync();
  }

  /** Closes this handle; does not commit (as POSIX close does not fsync). Idempotent. */
  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      volume.released(node);
    }
  }
}
