package io.sconej.hostcalls;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The trusted side of the host-call boundary: forwards to any {@link HostCalls} and applies the
 * {@link IagoChecks} to every result, so that nothing the host returns is used unchecked. Also
 * offers the loops ({@link #readFully}, {@link #writeFully}) that tolerate legitimate short
 * transfers.
 */
public final class CheckedHostCalls implements HostCalls {
  private final HostCalls host;

  private CheckedHostCalls(HostCalls host) {
    this.host = host;
  }

  /** Wraps {@code host}; wrapping a {@code CheckedHostCalls} returns it unchanged. */
  public static CheckedHostCalls wrap(HostCalls host) {
    return host instanceof CheckedHostCalls c ? c : new CheckedHostCalls(host);
  }

  /** The unchecked implementation underneath (for configuration and statistics only). */
  public HostCalls unchecked() {
    return host;
  }

  @Override
  public long open(String path, int flags) throws IOException {
    return host.open(path, flags);
  }

  @Override
  public int pread(long handle, ByteBuffer dst, long position) throws IOException {
    int before = dst.position();
    int limit = dst.limit();
    int requested = dst.remaining();
    int n = host.pread(handle, dst, position);
    if (dst.limit() != limit || dst.position() < before) {
      throw new HostCallException("host moved the read buffer backwards (handle " + handle + ")");
    }
    int advanced = dst.position() - before;
    if (n < -1 || n > requested || advanced != Math.max(n, 0)) { // the message only on failure
      IagoChecks.readCount("handle " + handle, n, requested, advanced);
    }
    return n;
  }

  @Override
  public int pwrite(long handle, ByteBuffer src, long position) throws IOException {
    int before = src.position();
    int requested = src.remaining();
    int n = host.pwrite(handle, src, position);
    int advanced = src.position() - before;
    if (n < 0 || n > requested || advanced != n) {
      IagoChecks.writeCount("handle " + handle, n, requested, advanced);
    }
    return n;
  }

  /**
   * Reads exactly {@code dst.remaining()} bytes at {@code position}, looping over short reads.
   *
   * @return the number of bytes read, less than requested only at end of file
   */
  public int readUpTo(long handle, ByteBuffer dst, long position) throws IOException {
    int total = 0;
    while (dst.hasRemaining()) {
      int n = pread(handle, dst, position + total);
      if (n < 0) {
        break;
      }
      if (n == 0) {
        // A host that keeps returning 0 would spin us forever; treat as end of data.
        break;
      }
      total += n;
    }
    return total;
  }

  /** Reads exactly {@code dst.remaining()} bytes or throws {@link EOFException}. */
  public void readFully(long handle, ByteBuffer dst, long position, String what)
      throws IOException {
    int want = dst.remaining();
    int got = readUpTo(handle, dst, position);
    if (got != want) {
      throw new EOFException(what + ": expected " + want + " bytes at " + position + ", got " + got);
    }
  }

  /** Writes all of {@code src} at {@code position}, looping over short writes. */
  public void writeFully(long handle, ByteBuffer src, long position) throws IOException {
    long pos = position;
    int stalls = 0;
    while (src.hasRemaining()) {
      int n = pwrite(handle, src, pos);
      if (n == 0 && ++stalls > 1000) {
        throw new HostCallException("host accepts no bytes (handle " + handle + ")");
      }
      pos += n;
    }
  }

  @Override
  public long size(long handle) throws IOException {
    long size = host.size(handle);
    if (size < 0 || size > IagoChecks.MAX_FILE_SIZE) {
      IagoChecks.size("handle " + handle, size);
    }
    return size;
  }

  @Override
  public void truncate(long handle, long sizeBytes) throws IOException {
    host.truncate(handle, sizeBytes);
  }

  /** Refuses a negative range; the answer is advisory (a lying host only wastes space). */
  @Override
  public boolean punchHole(long handle, long position, long length) throws IOException {
    if (position < 0 || length < 0) {
      throw new IllegalArgumentException("bad hole: position=" + position + ", length=" + length);
    }
    return length > 0 && host.punchHole(handle, position, length);
  }

  @Override
  public void fsync(long handle, boolean metadata) throws IOException {
    host.fsync(handle, metadata);
  }

  @Override
  public void close(long handle) throws IOException {
    host.close(handle);
  }

  @Override
  public HostStat stat(String path) throws IOException {
    return IagoChecks.stat(path, host.stat(path));
  }

  @Override
  public List<String> list(String dir) throws IOException {
    return IagoChecks.listing(dir, host.list(dir));
  }

  @Override
  public void mkdir(String path) throws IOException {
    host.mkdir(path);
  }

  @Override
  public void delete(String path) throws IOException {
    host.delete(path);
  }

  @Override
  public void rename(String from, String to) throws IOException {
    host.rename(from, to);
  }

  @Override
  public void fsyncDir(String dir) throws IOException {
    host.fsyncDir(dir);
  }

  @Override
  public void close() throws IOException {
    host.close();
  }
}
