package io.sconej.hostcalls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Synchronous host calls that pay an emulated enclave exit ({@link ExitCost}) before every call,
 * as a synchronous call out of an SGX enclave would. Results are passed through unchanged.
 */
final class ExitCostHostCalls implements HostCalls {
  private final HostCalls host;
  private final ExitCost cost;

  ExitCostHostCalls(HostCalls host, ExitCost cost) {
    this.host = host;
    this.cost = cost;
  }

  @Override
  public long open(String path, int flags) throws IOException {
    cost.pay();
    return host.open(path, flags);
  }

  @Override
  public int pread(long handle, ByteBuffer dst, long position) throws IOException {
    cost.pay();
    return host.pread(handle, dst, position);
  }

  @Override
  public int pwrite(long handle, ByteBuffer src, long position) throws IOException {
    cost.pay();
    return host.pwrite(handle, src, position);
  }

  @Override
  public long size(long handle) throws IOException {
    cost.pay();
    return host.size(handle);
  }

  @Override
  public void truncate(long handle, long sizeBytes) throws IOException {
    cost.pay();
    host.truncate(handle, sizeBytes);
  }

  @Override
  public boolean punchHole(long handle, long position, long length) throws IOException {
    cost.pay();
    return host.punchHole(handle, position, length);
  }

  @Override
  public void fsync(long handle, boolean metadata) throws IOException {
    cost.pay();
    host.fsync(handle, metadata);
  }

  @Override
  public void close(long handle) throws IOException {
    cost.pay();
    host.close(handle);
  }

  @Override
  public HostStat stat(String path) throws IOException {
    cost.pay();
    return host.stat(path);
  }

  @Override
  public List<String> list(String dir) throws IOException {
    cost.pay();
    return host.list(dir);
  }

  @Override
  public void mkdir(String path) throws IOException {
    cost.pay();
    host.mkdir(path);
  }

  @Override
  public void delete(String path) throws IOException {
    cost.pay();
    host.delete(path);
  }

  @Override
  public void rename(String from, String to) throws IOException {
    cost.pay();
    host.rename(from, to);
  }

  @Override
  public void fsyncDir(String dir) throws IOException {
    cost.pay();
    host.fsyncDir(dir);
  }

  @Override
  public void close() throws IOException {
    host.close();
  }
}
