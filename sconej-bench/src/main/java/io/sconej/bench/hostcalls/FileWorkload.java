package io.sconej.bench.hostcalls;

import io.sconej.hostcalls.CheckedHostCalls;
import io.sconej.hostcalls.HostCalls;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A file-heavy workload over any {@link HostCalls}: random 4 KiB preads and pwrites (70/30) at
 * 4 KiB-aligned offsets in a set of real files. Reusable for shielded volumes: give it the
 * {@code CheckedHostCalls} (or any HostCalls) the volume stack runs on.
 */
public final class FileWorkload implements AutoCloseable {
  /** Bytes per operation. */
  public static final int BLOCK_BYTES = 4096;

  private final CheckedHostCalls host;
  private final long[] handles;
  private final long blocksPerFile;

  private FileWorkload(CheckedHostCalls host, long[] handles, long blocksPerFile) {
    this.host = host;
    this.handles = handles;
    this.blocksPerFile = blocksPerFile;
  }

  /** Creates {@code files} files of {@code fileBytes} each in {@code dir} and opens them. */
  public static FileWorkload create(HostCalls hostCalls, Path dir, int files, long fileBytes)
      throws IOException {
    CheckedHostCalls h = CheckedHostCalls.wrap(hostCalls);
    long[] handles = new long[files];
    ByteBuffer block = ByteBuffer.allocate(BLOCK_BYTES);
    for (int i = 0; i < files; i++) {
      handles[i] =
          h.open(
              dir.resolve("f" + i).toString(),
              HostCalls.READ | HostCalls.WRITE | HostCalls.CREATE | HostCalls.TRUNCATE);
      for (long off = 0; off < fileBytes; off += BLOCK_BYTES) {
        block.clear();
        h.writeFully(handles[i], block, off);
      }
    }
    return new FileWorkload(h, handles, fileBytes / BLOCK_BYTES);
  }

  /** One operation: a 4 KiB read (70 %) or write (30 %) of a random block of a random file. */
  public void op(SplittableRandom rnd, ByteBuffer buffer) throws IOException {
    long h = handles[rnd.nextInt(handles.length)];
    long pos = rnd.nextLong(blocksPerFile) * BLOCK_BYTES;
    buffer.clear();
    if (rnd.nextInt(10) < 7) {
      host.readFully(h, buffer, pos, "block");
    } else {
      host.writeFully(h, buffer, pos);
    }
  }

  /** Runs the workload in a closed loop on {@code threads} virtual threads. */
  public ClosedLoop.Result run(int threads, java.time.Duration warmup, java.time.Duration measure)
      throws InterruptedException {
    ThreadLocal<ByteBuffer> buffers = ThreadLocal.withInitial(() -> ByteBuffer.allocate(BLOCK_BYTES));
    return ClosedLoop.run(threads, warmup, measure, 42, rnd -> op(rnd, buffers.get()));
  }

  @Override
  public void close() throws IOException {
    for (long h : handles) {
      host.close(h);
    }
  }
}
