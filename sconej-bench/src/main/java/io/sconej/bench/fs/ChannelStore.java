package io.sconej.bench.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Plain {@link FileChannel} files in a host directory: the unprotected baseline, and (pointed at
 * a gocryptfs mount point) the gocryptfs peer. {@link BenchFile#force()} is {@code
 * force(false)}, i.e. fdatasync.
 */
final class ChannelStore implements BenchStore {
  private final String label;
  private final Path dir;

  ChannelStore(String label, Path dir) throws IOException {
    this.label = label;
    this.dir = Files.createDirectories(dir);
  }

  @Override
  public String label() {
    return label;
  }

  @Override
  public BenchFile open(String name) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
    return new BenchFile() {
      @Override
      public void write(ByteBuffer src, long position) throws IOException {
        long pos = position;
        while (src.hasRemaining()) {
          pos += ch.write(src, pos);
        }
      }

      @Override
      public int read(ByteBuffer dst, long position) throws IOException {
        int total = 0;
        while (dst.hasRemaining()) {
          int n = ch.read(dst, position + total);
          if (n < 0) {
            break;
          }
          total += n;
        }
        return total;
      }

      @Override
      public void force() throws IOException {
        ch.force(false);
      }

      @Override
      public void close() throws IOException {
        ch.close();
      }
    };
  }

  @Override
  public void deleteIfExists(String name) throws IOException {
    Files.deleteIfExists(dir.resolve(name));
  }

  @Override
  public void sync() {
    // Each file is forced by the workloads; directory entries are not part of the measurement.
  }

  @Override
  public void close() {}
}
