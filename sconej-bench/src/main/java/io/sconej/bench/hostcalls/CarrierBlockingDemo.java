package io.sconej.bench.hostcalls;

import io.sconej.hostcalls.CheckedHostCalls;
import io.sconej.hostcalls.HostCallConfig;
import io.sconej.hostcalls.HostCalls;
import io.sconej.hostcalls.HostCallsFactory;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The carrier-blocking demonstration, for the benchmark report (the test that fails if the
 * problem comes back is {@code CarrierBlockingTest} in sconej-hostcalls). Run with one carrier
 * ({@code -Djdk.virtualThreadScheduler.parallelism=1 -Djdk.virtualThreadScheduler.maxPoolSize=1}):
 * one virtual thread's host call blocks (it opens a FIFO for reading, which waits for a writer);
 * 8 other virtual threads make {@code stat} host calls for one second. Prints how many they
 * completed meanwhile: with sync host calls the blocked call holds the only carrier, so none.
 *
 * <p>Usage: {@code CarrierBlockingDemo sync|async}
 */
public final class CarrierBlockingDemo {
  private CarrierBlockingDemo() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Path dir = Files.createTempDirectory("sconej-blocking");
    Path fifo = dir.resolve("fifo");
    Path probe = Files.writeString(dir.resolve("probe"), "x");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    if (mk.waitFor() != 0) {
      throw new IllegalStateException("mkfifo failed");
    }
    CheckedHostCalls h =
        HostCallsFactory.create(
            HostCallConfig.fromMap(
                Map.of(
                    "sconej.hostcalls.mode", mode,
                    "sconej.hostcalls.sthreads", "2",
                    "sconej.hostcalls.ethreads", "1")));
    Thread blocked =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    h.close(h.open(fifo.toString(), HostCalls.READ)); // waits for a writer
                  } catch (Exception e) {
                    System.out.println("blocked-call-failed=" + e);
                  }
                });
    Thread.sleep(300); // let it block
    AtomicLong done = new AtomicLong();
    long end = System.nanoTime() + 1_000_000_000L;
    for (int i = 0; i < 8; i++) {
      Thread.ofVirtual()
          .start(
              () -> {
                while (System.nanoTime() < end) {
                  try {
                    h.stat(probe.toString());
                    done.incrementAndGet();
                  } catch (Exception e) {
                    return;
                  }
                }
              });
    }
    Thread.sleep(1000);
    long whileBlocked = done.get();
    try (FileChannel w = FileChannel.open(fifo, StandardOpenOption.WRITE)) { // releases it
      blocked.join(10_000);
    }
    Thread.sleep(200);
    System.out.println("BLOCKING " + mode + " " + whileBlocked + " " + !blocked.isAlive() + " "
        + done.get());
    System.out.flush();
    Files.deleteIfExists(fifo);
    Files.deleteIfExists(probe);
    Files.deleteIfExists(dir);
    Runtime.getRuntime().halt(0);
  }
}
