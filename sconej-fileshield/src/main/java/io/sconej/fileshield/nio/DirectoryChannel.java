package io.sconej.fileshield.nio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileSystemException;

/**
 * A read-only channel on a directory of a volume, as Linux allows, so that the common idiom of
 * opening a directory to {@code force} it (fsync of the directory entries) works: {@link #force}
 * commits the volume. Reading fails with "Is a directory", as on Linux.
 */
final class DirectoryChannel extends FileChannel {
  private final SconejFileSystem fs;
  private final String shownPath;

  DirectoryChannel(SconejFileSystem fs, String shownPath) {
    this.fs = fs;
    this.shownPath = shownPath;
  }

  private IOException isDirectory() {
    return new FileSystemException(shownPath, null, "Is a directory");
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    throw isDirectory();
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    throw isDirectory();
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) {
    throw new NonWritableChannelException();
  }

  @Override
  public long position() {
    return 0;
  }

  @Override
  public FileChannel position(long newPosition) {
    return this;
  }

  @Override
  public long size() {
    return 0;
  }

  @Override
  public FileChannel truncate(long size) {
    throw new NonWritableChannelException();
  }

  /** Commits all pending changes of the volume (directory entries among them). */
  @Override
  public void force(boolean metaData) throws IOException {
    fs.sync();
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    throw isDirectory();
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) {
    throw new NonWritableChannelException();
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    throw isDirectory();
  }

  @Override
  public int write(ByteBuffer src, long position) {
    throw new NonWritableChannelException();
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
    throw isDirectory();
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    throw isDirectory();
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    throw isDirectory();
  }

  @Override
  protected void implCloseChannel() {}
}
