package io.sconej.hostcalls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM of {@link CarrierBlockingTest} (run with one carrier): one virtual thread reads from
 * a FIFO that has no data, through host calls of the given mode; then 8 other virtual threads
 * try to make a host call each. Prints whether they ran while the reader was blocked.
 */
public final class CarrierBlockingChild {
  static final long FIFO_HANDLE = 1L << 40;

  /** A host whose read on {@link #FIFO_HANDLE} blocks in a real FIFO read (pins a carrier). */
  static final class FifoHost extends DelegatingHost {
    private final FileChannel fifo;

    FifoHost(HostCalls host, FileChannel fifo) {
      super(host);
      this.fifo = fifo;
    }

    @Override
    public int pread(long handle, ByteBuffer dst, long position) throws IOException {
      return handle == FIFO_HANDLE ? fifo.read(dst) : super.pread(handle, dst, position);
    }
  }

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Path fifoPath = Path.of(args[1]);
    String probe = args[2];
    // O_RDWR on a FIFO does not block in open(); reads then block until someone writes.
    FileChannel fifo = FileChannel.open(fifoPath, StandardOpenOption.READ, StandardOpenOption.WRITE);
    // A second channel to release the reader (one channel's reads and writes share a lock).
    FileChannel writer = FileChannel.open(fifoPath, StandardOpenOption.WRITE);
    HostCallConfig config =
        HostCallConfig.fromMap(
            Map.of(
                "sconej.hostcalls.mode", mode,
                "sconej.hostcalls.sthreads", "2",
                "sconej.hostcalls.ethreads", "1",
                "sconej.hostcalls.timeoutMillis", "30000"));
    CheckedHostCalls h = HostCallsFactory.create(config, new FifoHost(SyncHostCalls.create(), fifo));
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    h.pread(FIFO_HANDLE, ByteBuffer.allocate(1), 0);
                  } catch (IOException e) {
                    System.out.println("reader-failed=" + e.getMessage());
                  }
                });
    Thread.sleep(500); // let the reader block
    CountDownLatch others = new CountDownLatch(8);
    for (int i = 0; i < 8; i++) {
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  h.stat(probe);
                  others.countDown();
                } catch (IOException e) {
                  System.out.println("other-failed=" + e.getMessage());
                }
              });
    }
    boolean othersRan = others.await(3, TimeUnit.SECONDS);
    System.out.println("others-ran-while-blocked=" + othersRan);
    writer.write(ByteBuffer.wrap(new byte[] {1}));
    reader.join(10_000);
    System.out.println("reader-finished=" + !reader.isAlive());
    System.out.println("others-ran-after=" + others.await(10, TimeUnit.SECONDS));
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }
}
