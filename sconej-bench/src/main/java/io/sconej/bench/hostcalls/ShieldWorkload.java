package io.sconej.bench.hostcalls;

import io.sconej.crypto.SecretBytes;
import io.sconej.fileshield.Volume;
import io.sconej.fileshield.VolumeConfig;
import io.sconej.fileshield.VolumeFile;
import io.sconej.hostcalls.HostCalls;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The file-heavy workload on the file system shield: random 4 KiB reads (70 %) and writes (30 %)
 * of shielded files, i.e. through an encrypted {@link Volume} (AES-GCM chunks, chunk tables) that
 * runs on the given {@link HostCalls}, sync or async. Writes are not forced (no commit per
 * operation): the host calls are the chunk and table I/O of the page-cache path.
 */
public final class ShieldWorkload implements AutoCloseable {
  private static final int BLOCK_BYTES = FileWorkload.BLOCK_BYTES;

  private final Volume volume;
  private final VolumeFile[] files;
  private final long blocksPerFile;

  private ShieldWorkload(Volume volume, VolumeFile[] files, long blocksPerFile) {
    this.volume = volume;
    this.files = files;
    this.blocksPerFile = blocksPerFile;
  }

  /** Creates a volume in {@code dir} with {@code count} shielded files of {@code fileBytes}. */
  public static ShieldWorkload create(HostCalls host, Path dir, int count, long fileBytes)
      throws IOException {
    Volume v = Volume.create(dir, SecretBytes.random(32),
        VolumeConfig.builder().hostCalls(host).build());
    VolumeFile[] files = new VolumeFile[count];
    ByteBuffer block = ByteBuffer.allocate(BLOCK_BYTES);
    for (int i = 0; i < count; i++) {
      files[i] = v.open("f" + i, Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE,
          StandardOpenOption.CREATE));
      for (long off = 0; off < fileBytes; off += BLOCK_BYTES) {
        block.clear();
        files[i].write(block, off);
      }
    }
    v.sync();
    return new ShieldWorkload(v, files, fileBytes / BLOCK_BYTES);
  }

  /** One operation: a 4 KiB read or write of a random block of a random shielded file. */
  void op(SplittableRandom rnd, ByteBuffer buffer) throws IOException {
    VolumeFile f = files[rnd.nextInt(files.length)];
    long pos = rnd.nextLong(blocksPerFile) * BLOCK_BYTES;
    buffer.clear();
    if (rnd.nextInt(10) < 7) {
      while (buffer.hasRemaining() && f.read(buffer, pos + buffer.position()) > 0) {
        // a short read continues where it stopped
      }
    } else {
      f.write(buffer, pos);
    }
  }

  /** Runs the workload in a closed loop on {@code threads} virtual threads. */
  public ClosedLoop.Result run(int threads, Duration warmup, Duration measure)
      throws InterruptedException {
    ThreadLocal<ByteBuffer> buffers =
        ThreadLocal.withInitial(() -> ByteBuffer.allocate(BLOCK_BYTES));
    return ClosedLoop.run(threads, warmup, measure, 43, rnd -> op(rnd, buffers.get()));
  }

  @Override
  public void close() throws IOException {
    for (VolumeFile f : files) {
      f.close();
    }
    volume.close();
  }
}
