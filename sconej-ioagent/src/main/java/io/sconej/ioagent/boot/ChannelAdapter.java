package io.sconej.ioagent.boot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A {@link FileChannel} view of a router's {@link SeekableByteChannel}, returned by {@code
 * getChannel()} on shielded streams when the router's channel is not itself a {@code FileChannel}.
 *
 * <p>Refusals: {@link #map} throws {@link UnsupportedOperationException} (a shielded file has no
 * plaintext mapping on the host). Locks are granted within this JVM only; they are not host locks.
 * {@link #force} forces the router's channel only when it is a {@code FileChannel}.
 */
final class ChannelAdapter extends FileChannel {
  private static final int TRANSFER_CHUNK_BYTES = 64 * 1024;
  private final SeekableByteChannel ch;
  private final String path;

  ChannelAdapter(SeekableByteChannel ch, String path) {
    this.ch = ch;
    this.path = path;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return ch.read(dst);
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    long total = 0;
    for (int i = offset; i < offset + length; i++) {
      if (!dsts[i].hasRemaining()) {
        continue;
      }
      int n = ch.read(dsts[i]);
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

  @Override
  public int write(ByteBuffer src) throws IOException {
    return ch.write(src);
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    long total = 0;
    for (int i = offset; i < offset + length; i++) {
      while (srcs[i].hasRemaining()) {
        total += ch.write(srcs[i]);
      }
    }
    return total;
  }

  @Override
  public long position() throws IOException {
    return ch.position();
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    ch.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return ch.size();
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    ch.truncate(size);
    return this;
  }

  @Override
  public void force(boolean metaData) throws IOException {
    if (ch instanceof FileChannel fc) {
      fc.force(metaData);
    }
  }

  @Override
  public synchronized long transferTo(long position, long count, WritableByteChannel target)
      throws IOException {
    long done = 0;
    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(TRANSFER_CHUNK_BYTES, Math.max(1, count)));
    while (done < count) {
      buf.clear().limit((int) Math.min(buf.capacity(), count - done));
      int n = read(buf, position + done);
      if (n <= 0) {
        break;
      }
      buf.flip();
      while (buf.hasRemaining()) {
        target.write(buf);
      }
      done += n;
    }
    return done;
  }

  @Override
  public synchronized long transferFrom(ReadableByteChannel src, long position, long count)
      throws IOException {
    long done = 0;
    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(TRANSFER_CHUNK_BYTES, Math.max(1, count)));
    while (done < count) {
      buf.clear().limit((int) Math.min(buf.capacity(), count - done));
      int n = src.read(buf);
      if (n <= 0) {
        break;
      }
      buf.flip();
      while (buf.hasRemaining()) {
        done += write(buf, position + done);
      }
    }
    return done;
  }

  @Override
  public synchronized int read(ByteBuffer dst, long position) throws IOException {
    long saved = ch.position();
    try {
      ch.position(position);
      return ch.read(dst);
    } finally {
      ch.position(saved);
    }
  }

  @Override
  public synchronized int write(ByteBuffer src, long position) throws IOException {
    long saved = ch.position();
    try {
      ch.position(position);
      return ch.write(src);
    } finally {
      ch.position(saved);
    }
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) {
    throw new UnsupportedOperationException(
        "memory-mapping a shielded file is not supported: " + path);
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) {
    return new LocalLock(this, position, size, shared);
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) {
    return new LocalLock(this, position, size, shared);
  }

  @Override
  protected void implCloseChannel() throws IOException {
    ch.close();
  }

  /** A lock valid in this JVM only, until released or the channel closes. */
  private static final class LocalLock extends FileLock {
    private volatile boolean released;

    LocalLock(FileChannel channel, long position, long size, boolean shared) {
      super(channel, position, size, shared);
    }

    @Override
    public boolean isValid() {
      return !released && channel().isOpen();
    }

    @Override
    public void release() {
      released = true;
    }
  }
}
