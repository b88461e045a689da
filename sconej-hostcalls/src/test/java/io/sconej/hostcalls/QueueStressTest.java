package io.sconej.hostcalls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Concurrency stress of the queues through the real {@link AsyncHostCalls}: many producers
 * (virtual and platform threads), several queue pairs and sthreads, few slots (so slots are
 * reused constantly), split transfers. The echo host's every answer is a function of its request,
 * so a response delivered to the wrong caller, or data copied from the wrong slot, fails the
 * check. Bounded in count and time.
 */
class QueueStressTest {
  /** PWRITE answers a checksum-derived count; PREAD fills bytes derived from handle and position. */
  static final HostExecutor ECHO =
      r -> {
        switch (r.op()) {
          case PWRITE -> {
            int len = r.requestLength();
            r.respond(expectedWrite(r.arg(0), r.arg(1), r.data().asSlice(0, len)), HostError.OK, 0);
          }
          case PREAD -> {
            int len = (int) r.arg(2);
            MemorySegment d = r.data();
            for (int i = 0; i < len; i++) {
              d.set(ValueLayout.JAVA_BYTE, i, byteAt(r.arg(0), r.arg(1) + i));
            }
            r.respond(len, HostError.OK, len);
          }
          case SIZE -> r.respond(r.arg(0) * 3, HostError.OK, 0);
          default -> r.respond(0, HostError.BAD_REQUEST, 0);
        }
      };

  static byte byteAt(long handle, long pos) {
    return (byte) (handle * 31 + pos * 7 + (pos >>> 8));
  }

  static long expectedWrite(long handle, long pos, MemorySegment data) {
    CRC32 c = new CRC32();
    c.update(data.asByteBuffer());
    long len = data.byteSize();
    return (c.getValue() ^ handle ^ pos) % (len + 1);
  }

  static void run(int threads, int opsPerThread, int queues, int sthreads, int slots, long maxSeconds)
      throws Exception {
    HostCallConfig config =
        HostCallConfig.fromMap(
            Map.of(
                "sconej.hostcalls.queues", Integer.toString(queues),
                "sconej.hostcalls.sthreads", Integer.toString(sthreads),
                "sconej.hostcalls.slots", Integer.toString(slots),
                "sconej.hostcalls.slotBytes", "512",
                "sconej.hostcalls.sspins", "200",
                "sconej.hostcalls.timeoutMillis", "20000"));
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    AtomicLong done = new AtomicLong();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
    try (AsyncHostCalls a = AsyncHostCalls.create(config, ECHO)) {
      List<Thread> ts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Runnable work = () -> {
          ThreadLocalRandom rnd = ThreadLocalRandom.current();
          try {
            for (int i = 0; i < opsPerThread && System.nanoTime() < deadline; i++) {
              long handle = rnd.nextLong(1, 1 << 20);
              long pos = rnd.nextLong(0, 1L << 40);
              switch (rnd.nextInt(3)) {
                case 0 -> assertEquals(handle * 3, a.size(handle));
                case 1 -> {
                  ByteBuffer dst = ByteBuffer.allocate(rnd.nextInt(1, 1500));
                  assertEquals(dst.capacity(), a.pread(handle, dst, pos));
                  for (int k = 0; k < dst.capacity(); k++) {
                    assertEquals(byteAt(handle, pos + k), dst.get(k), "byte " + k);
                  }
                }
                default -> {
                  byte[] b = new byte[rnd.nextInt(1, 500)]; // one slot: one checksum
                  rnd.nextBytes(b);
                  long want = expectedWrite(handle, pos, MemorySegment.ofArray(b));
                  assertEquals(want, a.pwrite(handle, ByteBuffer.wrap(b), pos));
                }
              }
              done.incrementAndGet();
            }
          } catch (Throwable e) {
            errors.add(e);
          }
        };
        ts.add(t % 8 == 0 ? Thread.ofPlatform().start(work) : Thread.ofVirtual().start(work));
      }
      for (Thread t : ts) {
        t.join(TimeUnit.SECONDS.toMillis(maxSeconds + 30));
        assertTrue(!t.isAlive(), "a producer hangs");
      }
      if (!errors.isEmpty()) {
        throw new AssertionError(errors.size() + " calls failed", errors.peek());
      }
      assertEquals(0, a.violations());
      assertTrue(done.get() > 0);
    }
  }

  @Test
  void manyProducersEveryAnswerMatchesItsRequest() throws Exception {
    run(64, 150, 2, 2, 8, 60);
  }

  @Test
  @Tag("long")
  void manyProducersLong() throws Exception {
    run(512, 2000, 3, 2, 16, 240);
  }
}
