package io.sconej.hostcalls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/** A host that forwards every call; tests override the calls they want to change. */
class DelegatingHost implements HostCalls {
  private final HostCalls host;

  DelegatingHost(HostCalls host) {
    this.host = host;
  }

  @Override
  public long open(String path, int flags) throws IOException {
    return host.open(path, flags);
  }

  @Override
  public int pread(long handle, ByteBuffer dst, long position) throws IOException {
    return host.pread(handle, dst, position);
  }

  @Override
  public int pwrite(long handle, ByteBuffer src, long position) throws IOException {
    return host.pwrite(handle, src, position);
  }

  @Override
  public long size(long handle) throws IOException {
    return host.size(handle);
  }

  @Override
  public void truncate(long handle, long sizeBytes) throws IOException {
    host.truncate(handle, sizeBytes);
  }

  @Override
  public boolean punchHole(long handle, long position, long length) throws IOException {
    return host.punchHole(handle, position, length);
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
    return host.stat(path);
  }

  @Override
  public List<String> list(String dir) throws IOException {
    return host.list(dir);
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
