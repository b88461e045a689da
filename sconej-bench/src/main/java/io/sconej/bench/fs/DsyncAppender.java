package io.sconej.bench.fs;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One file appended with synchronous small writes, the way databases write their logs: either a
 * {@code FileChannel} opened with {@code DSYNC}, or a {@code RandomAccessFile} in mode {@code
 * "rwd"} (both are O_DSYNC on the host: every write returns once its data is durable).
 */
interface DsyncAppender extends Closeable {
  /** Appends one record; returns once it is durable. */
  void append(byte[] record) throws IOException;

  /** The two APIs measured. */
  enum Api {
    FILE_CHANNEL("FileChannel DSYNC"),
    RANDOM_ACCESS_FILE("RandomAccessFile \"rwd\"");

    final String label;

    Api(String label) {
      this.label = label;
    }
  }

  /** Opens {@code path} (created or truncated) for appending through {@code api}. */
  static DsyncAppender open(Api api, Path path) throws IOException {
    return switch (api) {
      case FILE_CHANNEL -> channel(path);
      case RANDOM_ACCESS_FILE -> randomAccess(path.toString());
    };
  }

  private static DsyncAppender channel(Path path) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.DSYNC);
    return new DsyncAppender() {
      @Override
      public void append(byte[] record) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(record);
        while (b.hasRemaining()) {
          ch.write(b);
        }
      }

      @Override
      public void close() throws IOException {
        ch.close();
      }
    };
  }

  /**
   * A {@code RandomAccessFile} on {@code name}: a host path, or a path that the sconej java.io
   * agent routes into a volume.
   */
  private static DsyncAppender randomAccess(String name) throws IOException {
    RandomAccessFile raf = new RandomAccessFile(new File(name), "rwd");
    raf.setLength(0);
    return new DsyncAppender() {
      @Override
      public void append(byte[] record) throws IOException {
        raf.write(record);
      }

      @Override
      public void close() throws IOException {
        raf.close();
      }
    };
  }
}
