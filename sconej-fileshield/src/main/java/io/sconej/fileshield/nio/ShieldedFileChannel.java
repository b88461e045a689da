package io.sconej.fileshield.nio;

import io.sconej.fileshield.VolumeFile;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A {@link FileChannel} over one file of a sconej volume ({@link VolumeFile}).
 *
 * <p>Guarantees: every byte read was verified by the volume (a violation surfaces as the volume's
 * {@code IntegrityViolationException}, naming the file and chunk); {@link #force} commits the file
 * and all pending changes of the volume ({@link VolumeFile#force()}); closing does not commit (like
 * POSIX {@code close}): the file system's sync or close does.
 *
 * <p>Restrictions: both {@code map} methods serve {@code READ_ONLY} and {@code PRIVATE} as a
 * verified, decrypted copy in enclave memory ({@link MappedCopy}), never a mapping of the host
 * file, and refuse {@code READ_WRITE} with a message naming the file. Locks are in-process only (see {@link FileLocks}).
 */
final class ShieldedFileChannel extends FileChannel {
  private static final int TRANSFER_BUFFER_BYTES = 64 * 1024;
  private final SconejFileSystem fs;
  private final VolumeFile file;
  private final String shownPath;
  private final boolean readable;
  private final boolean writable;
  private final boolean append;
  private final Runnable onClose;
  private final Object positionLock = new Object();
  private long position;

  ShieldedFileChannel(
      SconejFileSystem fs,
      VolumeFile file,
      String shownPath,
      boolean readable,
      boolean writable,
      boolean append,
      Runnable onClose) {
    this.fs = fs;
    this.file = file;
    this.shownPath = shownPath;
    this.readable = readable;
    this.writable = writable;
    this.append = append;
    this.onClose = onClose;
  }

  private void ensureOpen() throws ClosedChannelException {
    if (!isOpen()) {
      throw new ClosedChannelException();
    }
  }

  private void checkReadable() throws ClosedChannelException {
    ensureOpen();
    if (!readable) {
      throw new NonReadableChannelException();
    }
  }

  private void checkWritable() throws ClosedChannelException {
    ensureOpen();
    if (!writable) {
      throw new NonWritableChannelException();
    }
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    checkReadable();
    synchronized (positionLock) {
      int n = file.read(dst, position);
      if (n > 0) {
        position += n;
      }
      return n;
    }
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    checkReadable();
    synchronized (positionLock) {
      long total = 0;
      for (int i = offset; i < offset + length; i++) {
        if (!dsts[i].hasRemaining()) {
          continue;
        }
        int n = read(dsts[i]);
        if (n < 0) {
          return total == 0 ? -1 : total;
        }
        total += n;
        if (dsts[i].hasRemaining()) {
          break;
        }
      }
      return total;
    }
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    checkWritable();
    synchronized (positionLock) {
      long at = append ? file.size() : position;
      int n = file.write(src, at);
      position = append ? file.size() : at + n;
      return n;
    }
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    checkWritable();
    synchronized (positionLock) {
      long total = 0;
      for (int i = offset; i < offset + length; i++) {
        total += write(srcs[i]);
      }
      return total;
    }
  }

  @Override
  public long position() throws IOException {
    ensureOpen();
    synchronized (positionLock) {
      return append ? file.size() : position;
    }
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    ensureOpen();
    if (newPosition < 0) {
      throw new IllegalArgumentException("negative position " + newPosition);
    }
    synchronized (positionLock) {
      position = newPosition;
    }
    return this;
  }

  @Override
  public long size() throws IOException {
    ensureOpen();
    return file.size();
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    if (size < 0) {
      throw new IllegalArgumentException("negative size " + size);
    }
    checkWritable();
    synchronized (positionLock) {
      if (size < file.size()) {
        file.truncate(size);
      }
      if (position > size) {
        position = size;
      }
    }
    return this;
  }

  /** Commits this file and all pending changes of the volume durably. */
  @Override
  public void force(boolean metaData) throws IOException {
    ensureOpen();
    file.force();
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    checkReadable();
    if (position < 0 || count < 0) {
      throw new IllegalArgumentException("negative position or count");
    }
    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(TRANSFER_BUFFER_BYTES, Math.max(1, count)));
    long done = 0;
    while (done < count) {
      buf.clear().limit((int) Math.min(buf.capacity(), count - done));
      int n = file.read(buf, position + done);
      if (n <= 0) {
        break;
      }
      buf.flip();
      while (buf.hasRemaining()) {
        if (target.write(buf) == 0) {
          return done + n - buf.remaining();
        }
      }
      done += n;
    }
    return done;
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
    checkWritable();
    if (position < 0 || count < 0) {
      throw new IllegalArgumentException("negative position or count");
    }
    if (position > file.size()) {
      return 0;
    }
    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(TRANSFER_BUFFER_BYTES, Math.max(1, count)));
    long done = 0;
    while (done < count) {
      buf.clear().limit((int) Math.min(buf.capacity(), count - done));
      int n = src.read(buf);
      if (n <= 0) {
        break;
      }
      file.write(buf.flip(), position + done);
      done += n;
    }
    return done;
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    if (position < 0) {
      throw new IllegalArgumentException("negative position " + position);
    }
    checkReadable();
    return file.read(dst, position);
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    if (position < 0) {
      throw new IllegalArgumentException("negative position " + position);
    }
    checkWritable();
    return file.write(src, position);
  }

  /**
   * {@code READ_ONLY}: a read-only copy of the range ({@link MappedCopy}: off-heap, enclave
   * memory; zeros past the end of the file); {@code PRIVATE}: a writable copy whose changes never
   * reach the file; {@code READ_WRITE}: refused ({@link #refuseReadWrite}).
   */
  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
    checkMap(mode, position, size);
    return MappedCopy.buffer(file, position, size, mode == MapMode.READ_ONLY);
  }

  /**
   * As {@link #map(MapMode, long, long)}, the copy in {@code arena}'s scope: any arena works (the
   * copy is allocated by the enclave and freed, zeroed, when {@code arena} closes).
   */
  @Override
  public MemorySegment map(MapMode mode, long offset, long size, Arena arena) throws IOException {
    checkMap(mode, offset, size);
    return MappedCopy.segment(file, offset, size, arena, mode == MapMode.READ_ONLY);
  }

  private void checkMap(MapMode mode, long offset, long size) throws IOException {
    if (offset < 0 || size < 0) {
      throw new IllegalArgumentException("negative offset or size");
    }
    if (mode == MapMode.READ_WRITE) {
      throw refuseReadWrite();
    }
    if (mode != MapMode.READ_ONLY && mode != MapMode.PRIVATE) {
      throw new UnsupportedOperationException("map mode " + mode + " is not supported ("
          + shownPath + ")");
    }
    checkReadable();
    if (mode == MapMode.PRIVATE && !writable) {
      throw new NonWritableChannelException();
    }
  }

  /**
   * {@code READ_WRITE} is refused: the mapped bytes are a decrypted copy in enclave memory, and
   * the JDK offers no way to learn which of them the application changed, so changes could reach
   * the file only by re-encrypting the whole range at every {@code force()} and unmap.
   */
  private UnsupportedOperationException refuseReadWrite() {
    return new UnsupportedOperationException("READ_WRITE mapping of shielded file " + shownPath
        + " is refused: the mapping is a decrypted copy in enclave memory whose changes could not"
        + " reach the file; map READ_ONLY or PRIVATE, or write through the channel");
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    return tryLock(position, size, shared);
  }

  /** An in-process lock; overlapping locks within this JVM throw like the JDK's. */
  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    if (position < 0 || size < 0) {
      throw new IllegalArgumentException("negative position or size");
    }
    if (shared) {
      checkReadable();
    } else {
      checkWritable();
    }
    return fs.locks().acquire(this, file.path(), position, size, shared);
  }

  @Override
  protected void implCloseChannel() throws IOException {
    fs.locks().releaseAll(this);
    try {
      file.close();
    } finally {
      onClose.run();
    }
  }
}
