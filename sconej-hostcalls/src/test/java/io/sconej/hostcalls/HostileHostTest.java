package io.sconej.hostcalls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Attack tests: a hostile host executor injected at the sthread side answers with wrong ids,
 * duplicates, impossible lengths and codes, or never. Every one must be refused by the real
 * {@link AsyncHostCalls} (through {@link CheckedHostCalls}), with a clear message and no hang.
 */
class HostileHostTest {
  private static final int BUF = 256;

  private static AsyncHostCalls async(HostExecutor hostile, int timeoutMillis, int slots) {
    return AsyncHostCalls.create(
        HostCallConfig.fromMap(
            Map.of(
                "sconej.hostcalls.slotBytes", Integer.toString(BUF),
                "sconej.hostcalls.slots", Integer.toString(slots),
                "sconej.hostcalls.timeoutMillis", Integer.toString(timeoutMillis))),
        hostile);
  }

  private static String refused(HostExecutor hostile, int timeoutMillis, IoCall call)
      throws IOException {
    try (AsyncHostCalls a = async(hostile, timeoutMillis, 4)) {
      CheckedHostCalls h = CheckedHostCalls.wrap(a);
      return assertThrows(HostCallException.class, () -> call.run(h)).getMessage();
    }
  }

  @FunctionalInterface
  interface IoCall {
    void run(CheckedHostCalls h) throws IOException;
  }

  @Test
  void answerWithANewerRequestIdFailsTheCallAtOnce() throws IOException {
    long t0 = System.nanoTime();
    String m =
        refused(
            r -> {
              r.writeResponse(r.requestId() + 1000, 7, 0, 0);
              r.post(r.slotIndex(), r.requestId() + 1000);
            },
            20_000,
            h -> h.size(1));
    assertTrue(m.contains("with request id"), m);
    assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "must not wait for the timeout");
  }

  @Test
  void answerWithAnOldRequestIdIsRefusedAndTheCallTimesOut() throws IOException {
    try (AsyncHostCalls a = async(r -> {
          r.writeResponse(r.requestId() - 1, 7, 0, 0);
          r.post(r.slotIndex(), r.requestId() - 1);
        }, 300, 4)) {
      String m = assertThrows(HostCallException.class, () -> a.size(1)).getMessage();
      assertTrue(m.contains("no host answer within 300 ms"), m);
      assertTrue(a.violations() >= 1);
    }
  }

  @Test
  void slotHoldingAnotherRequestsAnswerIsRefused() throws IOException {
    String m =
        refused(
            r -> {
              r.writeResponse(r.requestId() + 1, 7, 0, 0);
              r.post(r.slotIndex(), r.requestId());
            },
            20_000,
            h -> h.size(1));
    assertTrue(m.contains("holds an answer to request"), m);
  }

  @Test
  void duplicatedAndMisaddressedAnswersAreRefusedAndNeverMisdelivered() throws IOException {
    AtomicInteger n = new AtomicInteger();
    try (AsyncHostCalls a = async(r -> {
          long value = r.arg(0) * 10; // the answer depends on the request: misdelivery shows
          n.incrementAndGet();
          r.respond(value, HostError.OK, 0);
          r.post(r.slotIndex(), r.requestId()); // duplicate
          r.post(3000, r.requestId()); // slot that does not exist
        }, 20_000, 4)) { // (a ring of 2 would be filled by the host's own spam: its loss)
      CheckedHostCalls h = CheckedHostCalls.wrap(a);
      for (int i = 1; i <= 200; i++) {
        assertEquals(i * 10L, h.size(i));
      }
      assertEquals(200, n.get());
      assertTrue(a.violations() >= 100, "duplicates and bad slots counted: " + a.violations());
    }
  }

  @Test
  void lengthBeyondTheSlotBufferIsRefused() throws IOException {
    String m =
        refused(r -> r.respond(10, HostError.OK, BUF + 1), 20_000,
            h -> h.pread(1, ByteBuffer.allocate(100), 0));
    assertTrue(m.contains("outside the slot buffer"), m);
    m = refused(r -> r.respond(10, HostError.OK, -5), 20_000,
        h -> h.pread(1, ByteBuffer.allocate(100), 0));
    assertTrue(m.contains("outside the slot buffer"), m);
  }

  @Test
  void readCountsBeyondTheRequestOrDisagreeingWithTheDataAreRefused() throws IOException {
    String m = refused(r -> r.respond(200, HostError.OK, 200), 20_000,
        h -> h.pread(1, ByteBuffer.allocate(100), 0));
    assertTrue(m.contains("read count 200"), m);
    m = refused(r -> r.respond(50, HostError.OK, 60), 20_000,
        h -> h.pread(1, ByteBuffer.allocate(100), 0));
    assertTrue(m.contains("disagrees"), m);
    m = refused(r -> r.respond(101, HostError.OK, 0), 20_000,
        h -> h.pwrite(1, ByteBuffer.allocate(100), 0));
    assertTrue(m.contains("write count 101"), m);
    m = refused(r -> r.respond(-7, HostError.OK, 0), 20_000, h -> h.size(1));
    assertTrue(m.contains("impossible size"), m);
  }

  @Test
  void unknownErrorCodesAndMalformedAnswersAreRefused() throws IOException {
    String m = refused(r -> {
          r.writeResponse(r.requestId(), 0, 99, 0);
          r.post(r.slotIndex(), r.requestId());
        }, 20_000, h -> h.size(1));
    assertTrue(m.contains("unknown error code 99"), m);
    m = refused(r -> {
          r.writeResponse(r.requestId(), 0, -1, 0);
          r.post(r.slotIndex(), r.requestId());
        }, 20_000, h -> h.size(1));
    assertTrue(m.contains("unknown error code -1"), m);
    m = refused(r -> {
          r.data().set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 0, 2L); // dir, missing
          r.respond(0, HostError.OK, 24);
        }, 20_000, h -> h.stat("/x"));
    assertTrue(m.contains("malformed stat"), m);
    m = refused(r -> {
          r.data().set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 'a');
          r.respond(5, HostError.OK, 1); // claims 5 names, sends half of one
        }, 20_000, h -> h.list("/x"));
    assertTrue(m.contains("malformed listing"), m);
  }

  @Test
  void aHostThatNeverAnswersGivesATimeoutAndTheNextCallsStillWork() throws IOException {
    AtomicInteger seen = new AtomicInteger();
    try (AsyncHostCalls a = async(r -> {
          if (seen.incrementAndGet() > 1) {
            r.respond(42, HostError.OK, 0); // the first request is silently dropped
          }
        }, 400, 2)) {
      long t0 = System.nanoTime();
      String m = assertThrows(HostCallException.class, () -> a.size(1)).getMessage();
      assertTrue(m.contains("no host answer within 400 ms"), m);
      assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
      assertEquals(42, a.size(1));
      assertEquals(42, a.size(1));
    }
  }

  @Test
  void aLateAnswerFreesTheSlotOfATimedOutCall() throws IOException {
    AtomicInteger seen = new AtomicInteger();
    try (AsyncHostCalls a = async(r -> {
          if (seen.incrementAndGet() == 1) {
            try {
              Thread.sleep(700); // answers, but after the caller gave up
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          r.respond(42, HostError.OK, 0);
        }, 300, 1)) {
      assertThrows(HostCallException.class, () -> a.size(1));
      // one slot only: the next call must wait for the late answer, then get the slot
      a.config();
      assertEquals(42, AsyncHostCallsRetry.sizeWithin(a, 3));
    }
  }

  /** Retries a call that may hit the slot-wait timeout while the late answer is in flight. */
  static final class AsyncHostCallsRetry {
    static long sizeWithin(AsyncHostCalls a, int tries) throws IOException {
      for (int i = 1; ; i++) {
        try {
          return a.size(1);
        } catch (HostCallException e) {
          if (i >= tries) {
            throw e;
          }
        }
      }
    }
  }
}
