package io.sconej.ioagent.boot;

import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;

/**
 * The state of one shielded stream, kept outside the stream (retransformation cannot add fields)
 * and keyed by the stream's {@link java.io.FileDescriptor}. A cleaner closes the channel if the
 * application drops the stream without closing it.
 */
final class Shielded {
  private static final Cleaner CLEANER = Cleaner.create();

  final String path;
  final SeekableByteChannel channel;
  final boolean append;
  private final Cleaner.Cleanable cleanable;
  private volatile boolean closed;
  private FileChannel fileChannel;

  Shielded(Object owner, String path, SeekableByteChannel channel, boolean append) {
    this.path = path;
    this.channel = channel;
    this.append = append;
    this.cleanable = CLEANER.register(owner, new Closer(channel));
  }

  /** Returns the channel if the stream is open; refuses a closed stream like the JDK does. */
  SeekableByteChannel open() throws IOException {
    if (closed) {
      throw new IOException("Stream Closed");
    }
    return channel;
  }

  /** Returns the channel as a {@link FileChannel}, wrapping it once if needed. */
  synchronized FileChannel fileChannel() {
    if (fileChannel == null) {
      fileChannel =
          channel instanceof FileChannel fc ? fc : new ChannelAdapter(channel, path);
    }
    return fileChannel;
  }

  void close() {
    closed = true;
    cleanable.clean();
  }

  /** Closes the channel; holds no reference to the owner. */
  private record Closer(SeekableByteChannel channel) implements Runnable {
    @Override
    public void run() {
      try {
        channel.close();
      } catch (IOException e) {
        // Nothing to report to: the stream is closed or unreachable. The channel is gone.
      }
    }
  }
}
