package io.sconej.bench.hostcalls;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * What this machine can do at best, with no host call at all: the floor every async design pays
 * on top of the host's own work. Run with 2 carriers ({@link HostCallBench} forks it so):
 *
 * <ul>
 *   <li>{@code vt-pingpong P}: P pairs of virtual threads pass a token by park/unpark, the
 *       unpark issued from a carrier (a local push): handoffs per second; with a timed park
 *       ({@code parkNanos}, which arms and cancels a timer task) and an untimed one.
 *   <li>{@code platform-unpark N}: one platform thread (like an sthread's doorbell) unparks N
 *       parked virtual threads round-robin: external submissions per second.
 *   <li>{@code vt-yield N}: N virtual threads calling {@code Thread.yield()}: yields per second.
 *   <li>{@code spin-rtt}: one virtual thread and one platform thread, both spinning, exchange a
 *       counter through memory: cross-core round trips per second (the 1-caller floor).
 * </ul>
 */
public final class HandoffFloor {
  private HandoffFloor() {}

  /** Runs every scenario for {@code millis} each and prints one line per scenario. */
  public static void main(String[] args) throws Exception {
    long millis = args.length > 0 ? Long.parseLong(args[0]) : 1000;
    report("vt-pingpong 1 pair, timed park", pingPong(1, millis, true), millis);
    report("vt-pingpong 64 pairs, timed park", pingPong(64, millis, true), millis);
    report("vt-pingpong 1 pair, untimed park", pingPong(1, millis, false), millis);
    report("vt-pingpong 64 pairs, untimed park", pingPong(64, millis, false), millis);
    report("platform-unpark 256 vthreads", platformUnpark(256, millis), millis);
    report("vt-yield 256 vthreads", yields(256, millis), millis);
    report("spin-rtt 1 vthread + 1 platform thread", spinRtt(millis), millis);
  }

  private static void report(String what, long count, long millis) {
    System.out.printf(Locale.ROOT, "FLOOR %-40s %,12.0f /s%n", what, count * 1000.0 / millis);
  }

  private static long pingPong(int pairs, long millis, boolean timed) throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong count = new AtomicLong();
    List<Thread> all = new ArrayList<>();
    for (int p = 0; p < pairs; p++) {
      AtomicIntegerArray turn = new AtomicIntegerArray(1);
      Thread[] two = new Thread[2];
      for (int side = 0; side < 2; side++) {
        int me = side;
        two[side] =
            Thread.ofVirtual()
                .unstarted(
                    () -> {
                      long n = 0;
                      while (!stop.get()) {
                        while (turn.get(0) != me) {
                          if (stop.get()) {
                            count.addAndGet(n);
                            return;
                          }
                          if (timed) {
                            LockSupport.parkNanos(1_000_000);
                          } else {
                            LockSupport.park();
                          }
                        }
                        turn.set(0, 1 - me);
                        LockSupport.unpark(two[1 - me]);
                        n++;
                      }
                      count.addAndGet(n);
                    });
      }
      all.add(two[0]);
      all.add(two[1]);
    }
    all.forEach(Thread::start);
    Thread.sleep(millis);
    stop.set(true);
    for (Thread t : all) {
      LockSupport.unpark(t);
      t.join();
    }
    return count.get();
  }

  private static long platformUnpark(int n, long millis) throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicIntegerArray ready = new AtomicIntegerArray(n);
    AtomicLong count = new AtomicLong();
    Thread[] vts = new Thread[n];
    for (int i = 0; i < n; i++) {
      int me = i;
      vts[i] =
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (!stop.get()) {
                      ready.set(me, 1);
                      while (ready.get(me) == 1 && !stop.get()) {
                        LockSupport.parkNanos(1_000_000);
                      }
                    }
                  });
    }
    Thread waker =
        Thread.ofPlatform()
            .start(
                () -> {
                  long c = 0;
                  while (!stop.get()) {
                    for (int i = 0; i < n; i++) {
                      if (ready.get(i) == 1) {
                        ready.set(i, 0);
                        LockSupport.unpark(vts[i]);
                        c++;
                      }
                    }
                  }
                  count.set(c);
                });
    Thread.sleep(millis);
    stop.set(true);
    waker.join();
    for (Thread t : vts) {
      t.join();
    }
    return count.get();
  }

  private static long yields(int n, long millis) throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong count = new AtomicLong();
    List<Thread> ts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ts.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    long c = 0;
                    while (!stop.get()) {
                      Thread.yield();
                      c++;
                    }
                    count.addAndGet(c);
                  }));
    }
    Thread.sleep(millis);
    stop.set(true);
    for (Thread t : ts) {
      t.join();
    }
    return count.get();
  }

  private static long spinRtt(long millis) throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong ping = new AtomicLong();
    AtomicLong pong = new AtomicLong();
    Thread echo =
        Thread.ofPlatform()
            .start(
                () -> {
                  long seen = 0;
                  while (!stop.get()) {
                    long v = ping.get();
                    if (v != seen) {
                      seen = v;
                      pong.set(v);
                    } else {
                      Thread.onSpinWait();
                    }
                  }
                });
    AtomicLong count = new AtomicLong();
    Thread caller =
        Thread.ofVirtual()
            .start(
                () -> {
                  long i = 0;
                  while (!stop.get()) {
                    ping.set(++i);
                    while (pong.get() != i && !stop.get()) {
                      Thread.onSpinWait();
                    }
                  }
                  count.set(i);
                });
    Thread.sleep(millis);
    stop.set(true);
    caller.join();
    echo.join();
    return count.get();
  }
}
