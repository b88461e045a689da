package io.sconej.fileshield;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The read path of one {@link VolumeFile}: host reads of runs of sealed chunks, each chunk
 * authenticated before the call returns any of its bytes.
 *
 * <p>A run is a maximal sequence of present chunks in the same slot and extent (so contiguous on
 * the host), at most one batch ({@link Buffers#BATCH_BYTES}) long. When a read spans several runs,
 * the host reads of the next {@link #READ_AHEAD_RUNS} runs are issued on virtual threads while the
 * current run is decrypted, so that host I/O and decryption overlap. A chunk the caller wants whole
 * is decrypted straight into a heap destination buffer; others go through the lease's plaintext
 * buffer.
 *
 * <p>Security guarantees: as {@link VolumeFile#read}: every chunk is opened against its chunk table
 * entry (nonce and tag) and associated data binding it to the volume, file, index and length, from
 * the call's own copy of the ciphertext (the host cannot change it between authentication and
 * decryption). A call returns, and advances the destination past, authenticated bytes only. When
 * a chunk decrypted straight into the destination fails, its bytes there are zeroed before the
 * {@link IntegrityViolationException} is thrown (the JDK's GCM writes, then clears). Bytes read
 * ahead are only ever ciphertext, in buffers private to this call, authenticated when decrypted,
 * under the same read lock as the rest of the call.
 *
 * <p>Callers hold the node's read lock for the whole call.
 */
final class ChunkReader {
  /** Host reads in flight beyond the run being decrypted. */
  static final int READ_AHEAD_RUNS = 2;

  private static final byte[] ZEROS = new byte[64 * 1024];
  /** Per thread: one sealed chunk (with room for the tag) and one plaintext chunk. */
  private static final ThreadLocal<byte[][]> SMALL =
      ThreadLocal.withInitial(() -> new byte[][] {new byte[0], new byte[0]});

  private final VolumeFile file;
  private final Volume volume;
  private final Node node;
  private final int cs;

  ChunkReader(VolumeFile file, Volume volume, Node node) {
    this.file = file;
    this.volume = volume;
    this.node = node;
    this.cs = volume.chunkSizeBytes();
  }

  /** One contiguous host read, or a hole ({@code slot < 0}): chunks {@code first..last}. */
  private static final class Run {
    long first;
    long last;
    int slot;
    int span;
    Buffers.Lease lease;
    FutureTask<Integer> pending;
    int got;
  }

  /** Reads {@code want} bytes at {@code position} into {@code dst} (within the file's size). */
  void read(ByteBuffer dst, long position, int want) throws IOException {
    long end = position + want;
    long lastChunk = (end - 1) / cs;
    byte[] e = new byte[ChunkTable.ENTRY_BYTES];
    if (position / cs == lastChunk) {
      readOne(dst, position, end, e);
      return;
    }
    Run[] window = new Run[READ_AHEAD_RUNS + 1];
    int head = 0;
    int count = 0;
    long nextChunk = position / cs;
    long pos = position;
    try {
      while (pos < end) {
        // keep up to READ_AHEAD_RUNS + 1 runs planned, their host reads issued
        while (count < window.length && nextChunk <= lastChunk) {
          Run r = plan(nextChunk, lastChunk, e);
          nextChunk = r.last + 1;
          window[(head + count) % window.length] = r;
          count++;
          if (r.slot >= 0) {
            start(r, count > 1 || nextChunk <= lastChunk);
          }
        }
        Run r = window[head];
        window[head] = null;
        head = (head + 1) % window.length;
        count--;
        try {
          pos = consume(r, dst, pos, end, e);
        } finally {
          finish(r);
        }
      }
    } finally {
      for (Run r : window) {
        if (r != null) {
          finish(r);
        }
      }
    }
  }

  /** The run starting at chunk {@code k}: a hole chunk alone, or present chunks on the host. */
  private Run plan(long k, long lastChunk, byte[] e) {
    Run r = new Run();
    r.first = k;
    node.table.get(k, e, 0);
    int flags = e[31] & 0xff;
    if ((flags & ChunkTable.FLAG_PRESENT) == 0) {
      r.last = k;
      r.slot = -1;
      return r;
    }
    int slot = flags & ChunkTable.FLAG_SLOT;
    long last = Math.min(lastChunk, k + (Buffers.BATCH_BYTES) / cs - 1);
    long j = k;
    int lastLen = length(e);
    while (j < last && (j + 1) / VolumeFile.EXTENT_CHUNKS == k / VolumeFile.EXTENT_CHUNKS
        && lastLen == cs) {
      int f = node.table.flags(j + 1);
      if ((f & ChunkTable.FLAG_PRESENT) == 0 || (f & ChunkTable.FLAG_SLOT) != slot) {
        break;
      }
      node.table.get(j + 1, e, 0);
      j++;
      lastLen = length(e);
    }
    r.last = j;
    r.slot = slot;
    r.span = (int) ((j - k) * cs + Math.min(lastLen, cs));
    return r;
  }

  /** Issues the host read of a run: on a virtual thread if {@code ahead}, else right here. */
  private void start(Run r, boolean ahead) throws IOException {
    r.lease = Buffers.acquire(cs);
    ByteBuffer buf = r.lease.sealed().clear().limit(r.span);
    long handle = file.handle(false);
    long at = file.hostOffset(r.first, r.slot);
    if (!ahead) {
      r.got = volume.host().readUpTo(handle, buf, at);
      return;
    }
    r.pending = new FutureTask<>(() -> volume.host().readUpTo(handle, buf, at));
    Thread.ofVirtual().name("sconej-read-ahead").start(r.pending);
  }

  /** Waits for a run's host read (if any) and returns its lease. Never throws. */
  private static void finish(Run r) {
    if (r.pending != null) {
      boolean interrupted = false;
      while (true) {
        try {
          r.pending.get();
          break;
        } catch (InterruptedException ie) {
          interrupted = true;
        } catch (ExecutionException ignored) {
          break; // consume() reported it, or the call failed before this run
        }
      }
      r.pending = null;
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    if (r.lease != null) {
      r.lease.release();
      r.lease = null;
    }
  }

  private int await(Run r) throws IOException {
    if (r.pending == null) {
      return r.got;
    }
    try {
      return r.pending.get();
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading " + file.path());
    } catch (ExecutionException ee) {
      if (ee.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException("read-ahead of " + file.path() + " failed: " + ee.getCause(),
          ee.getCause());
    }
  }

  /** Authenticates and delivers the run's part of {@code [pos, end)}; returns the new position. */
  private long consume(Run r, ByteBuffer dst, long pos, long end, byte[] e) throws IOException {
    if (r.slot < 0) {
      long n = Math.min(end, (r.last + 1) * cs) - pos;
      zero(dst, (int) n);
      return pos + n;
    }
    int got = await(r);
    byte[] sealed = r.lease.sealed().array();
    if (node.recovered != null) { // a read-only open after a crash: chunks from the journal
      got = InlineRecovery.patch(node, r.first, r.last, sealed, got, cs);
    }
    for (long c = r.first; c <= r.last; c++) {
      node.table.get(c, e, 0);
      int len = length(e);
      int at = (int) ((c - r.first) * cs);
      if (got < at + len) {
        throw new IntegrityViolationException(file.path(), c, Violation.MISSING_DATA,
            "host data file ends early");
      }
      pos = deliver(e, c, sealed, at, len, dst, pos, end, r.lease.plain().array());
    }
    return pos;
  }

  /**
   * The common case of small reads: one chunk, read into a per-thread buffer of one sealed chunk
   * (no pool, no second table lookup).
   */
  private void readOne(ByteBuffer dst, long pos, long end, byte[] e) throws IOException {
    long k = pos / cs;
    node.table.get(k, e, 0);
    int flags = e[31] & 0xff;
    if ((flags & ChunkTable.FLAG_PRESENT) == 0) {
      zero(dst, (int) (end - pos));
      return;
    }
    int len = length(e);
    if (len > cs) {
      throw new IntegrityViolationException(file.path(), k, Violation.TAMPERED_CHUNK, null);
    }
    byte[][] bufs = SMALL.get();
    if (bufs[0].length < cs + ChunkCipher.TAG_BYTES) {
      bufs[0] = new byte[cs + ChunkCipher.TAG_BYTES];
      bufs[1] = new byte[cs];
    }
    byte[] sealed = bufs[0];
    int got = volume.host().readUpTo(file.handle(false), ByteBuffer.wrap(sealed, 0, len),
        file.hostOffset(k, flags & ChunkTable.FLAG_SLOT));
    if (node.recovered != null) {
      got = InlineRecovery.patch(node, k, k, sealed, got, cs);
    }
    if (got < len) {
      throw new IntegrityViolationException(file.path(), k, Violation.MISSING_DATA,
          "host data file ends early");
    }
    byte[] plain = bufs[1];
    boolean whole = pos == k * cs && end - pos >= len && dst.hasArray() && !dst.isReadOnly();
    try {
      deliver(e, k, sealed, 0, len, dst, pos, end, plain);
    } finally {
      if (!whole) {
        Arrays.fill(plain, 0, len, (byte) 0); // no plaintext left behind in the thread's buffer
      }
    }
  }

  /**
   * Authenticates chunk {@code c} ({@code sealed[at..at+len)}) and puts its part of {@code [pos,
   * end)} into {@code dst}, straight into a heap destination when the caller wants all of it;
   * returns the new position.
   */
  private long deliver(byte[] e, long c, byte[] sealed, int at, int len, ByteBuffer dst,
      long pos, long end, byte[] plain) throws IOException {
    long cStart = c * cs;
    int from = (int) (Math.max(pos, cStart) - cStart);
    int to = (int) (Math.min(end, cStart + cs) - cStart);
    if (len > cs) {
      throw new IntegrityViolationException(file.path(), c, Violation.TAMPERED_CHUNK, null);
    }
    if (from == 0 && to >= len && dst.hasArray() && !dst.isReadOnly()) {
      int outAt = dst.arrayOffset() + dst.position();
      if (!open(e, c, sealed, at, len, dst.array(), outAt)) {
        throw new IntegrityViolationException(file.path(), c, Violation.TAMPERED_CHUNK, null);
      }
      dst.position(dst.position() + len);
    } else {
      if (!open(e, c, sealed, at, len, plain, 0)) {
        throw new IntegrityViolationException(file.path(), c, Violation.TAMPERED_CHUNK, null);
      }
      if (from < len) {
        dst.put(plain, from, Math.min(to, len) - from);
      }
    }
    if (to > len) {
      zero(dst, to - Math.max(from, len));
    }
    return cStart + to;
  }

  private boolean open(byte[] entry, long chunk, byte[] sealed, int off, int len, byte[] out,
      int outOff) throws IOException {
    try {
      return volume.cipher.open(node.key, entry, node.id, chunk, sealed, off, len, out, outOff);
    } catch (GeneralSecurityException ex) {
      throw new IOException("AES-GCM failure on " + file.path() + " chunk " + chunk, ex);
    }
  }

  static int length(byte[] e) {
    return ((e[28] & 0xff) << 16) | ((e[29] & 0xff) << 8) | (e[30] & 0xff);
  }

  static void zero(ByteBuffer dst, int n) {
    while (n > 0) {
      int k = Math.min(n, ZEROS.length);
      dst.put(ZEROS, 0, k);
      n -= k;
    }
  }
}
