package io.sconej.hostcalls;

import static io.sconej.hostcalls.SlotCodec.checkEmpty;
import static io.sconej.hostcalls.SlotCodec.putString;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Asynchronous host calls, SCONE style: each call is copied into a slot of a queue pair in
 * off-heap ("untrusted") memory and posted to a lock-free request ring; host threads (sthreads)
 * serve it and post the answer to the response ring; the calling (virtual) thread polls the
 * response ring between {@code Thread.yield}s and finally parks, so its carrier runs other
 * virtual threads instead of being held by a blocking system call. Answers are consumed in
 * batches by whichever caller drains the ring (see {@link CallTable}); the host's doorbell is
 * used only when no caller is polling.
 *
 * <p>Guarantees: arguments are copied out and results copied in; an answer is accepted only if
 * its ring entry and its slot both carry the id of the outstanding request of that slot
 * (answers with other ids are refused and counted in {@link #violations()}, an id newer than the
 * outstanding one fails the call); lengths and error codes are validated before a byte is copied
 * in; no call waits longer than the configured timeout; reads and writes larger than a slot are
 * split. Results are not otherwise checked here: use through {@link CheckedHostCalls} (as {@link
 * HostCallsFactory} does), which applies the same {@link IagoChecks} as for synchronous calls.
 *
 * <p>Refuses: paths longer than a slot buffer, calls after {@link #close()}.
 */
public final class AsyncHostCalls implements HostCalls {
  private final HostCallConfig config;
  private final QueuePair[] queues;
  private final CallTable[] tables;
  private final Sthreads sthreads;
  private final ExitCost exitCost;
  private final LongAdder violations = new LongAdder();
  private final long timeoutNanos;
  private final HostCalls hostToClose;
  private final Thread watchdog;
  private volatile boolean closed;

  private AsyncHostCalls(HostCallConfig config, HostExecutor executor, HostCalls hostToClose) {
    this.config = config;
    this.hostToClose = hostToClose;
    this.exitCost = ExitCost.of(config);
    this.timeoutNanos = config.callTimeout().toNanos();
    long bytes = QueuePairDescriptor.bytes(config.slots(), config.slotBytes());
    MemorySegment all = Arena.ofAuto().allocate(bytes * config.queues(), 64);
    queues = new QueuePair[config.queues()];
    tables = new CallTable[config.queues()];
    for (int i = 0; i < queues.length; i++) {
      queues[i] =
          new QueuePair(i, all.asSlice(i * bytes, bytes), config.slots(), config.slotBytes());
      queues[i].format();
      tables[i] = new CallTable(queues[i], violations);
    }
    HostSlot.Doorbell bell =
        (q, slot) -> {
          if (q >= 0 && q < tables.length) {
            tables[q].wake(slot);
          }
        };
    sthreads =
        new Sthreads(
            queues,
            executor,
            bell,
            config.sthreads(),
            config.spins(),
            config.sleep().toNanos());
    sthreads.start();
    watchdog =
        Thread.ofPlatform()
            .daemon()
            .name("sconej-hostcalls-sweep")
            .start(
                () -> {
                  while (!closed) {
                    LockSupport.parkNanos(CallTable.SWEEP_NANOS);
                    long now = System.nanoTime();
                    for (CallTable t : tables) {
                      t.sweep(now);
                    }
                  }
                });
  }

  /**
   * Asynchronous calls served by sthreads that perform them with {@code host}, which {@link
   * #close()} closes.
   */
  public static AsyncHostCalls create(HostCallConfig config, HostCalls host) {
    return new AsyncHostCalls(config, new FileHostExecutor(host), host);
  }

  /** Asynchronous calls served by sthreads running {@code executor} (tests inject hostile ones). */
  public static AsyncHostCalls create(HostCallConfig config, HostExecutor executor) {
    return new AsyncHostCalls(config, executor, null);
  }

  /** The configuration in force. */
  public HostCallConfig config() {
    return config;
  }

  /** Requests posted to the queues so far (a split read or write counts once per chunk). */
  public long requests() {
    long n = 0;
    for (CallTable t : tables) {
      n += t.posted();
    }
    return n;
  }

  /** Host answers refused so far (wrong ids, duplicates, unknown slots). */
  public long violations() {
    return violations.sum();
  }

  /** Doorbells that woke a parked caller so far (host-to-trusted wake-ups). */
  public long doorbells() {
    long n = 0;
    for (CallTable t : tables) {
      n += t.doorbells();
    }
    return n;
  }

  /** Answers the periodic sweep had to deliver because no caller would have (see CallTable). */
  long rescues() {
    long n = 0;
    for (CallTable t : tables) {
      n += t.rescues();
    }
    return n;
  }

  /**
   * Stops the sweep from delivering stranded answers (it still enforces deadlines): then a lost
   * wake-up in the fast path shows as a timeout instead of as 5 ms of latency. Tests only.
   */
  void disableRescueForTest() {
    for (CallTable t : tables) {
      t.rescue = false;
    }
  }

  /** Per queue pair: in-flight calls, pollers and free slots (for tests of quiescence). */
  String bookkeeping() {
    StringBuilder sb = new StringBuilder();
    for (CallTable t : tables) {
      sb.append(sb.isEmpty() ? "" : "; ").append(t.bookkeeping());
    }
    return sb.toString();
  }

  /** Writes the request into a slot; returns the request length. */
  @FunctionalInterface
  private interface Request {
    int write(MemorySegment data) throws IOException;
  }

  /** Turns a validated response into a result. */
  @FunctionalInterface
  private interface Response<T> {
    T read(long result, int length, MemorySegment data) throws IOException;
  }

  private static final Request NO_DATA = d -> 0;

  /** Names a handle in error messages; the string is built only if a message is. */
  private record HandleName(long handle) {
    @Override
    public String toString() {
      return "handle " + handle;
    }
  }

  private <T> T call(
      HostOp op, Object what, long a0, long a1, long a2, Request req, Response<T> resp)
      throws IOException {
    if (closed) {
      throw new IOException("host calls are closed: " + op + " " + what);
    }
    CallTable t = tables[(int) (Thread.currentThread().threadId() % tables.length)];
    QueuePair q = t.queue;
    long deadline = System.nanoTime() + timeoutNanos;
    int slot;
    try {
      slot = t.acquire(deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException(op + " " + what + ": interrupted");
    }
    if (slot < 0) {
      throw new HostCallException(
          op + " " + what + ": no free slot within " + config.callTimeout().toMillis() + " ms");
    }
    boolean release = true;
    try {
      MemorySegment header = q.slot(slot);
      MemorySegment data = q.data(slot);
      long id = t.nextId();
      int length = req.write(data);
      QueuePair.setInt(header, SlotDescriptor.OPCODE_OFFSET, op.code());
      QueuePair.setInt(header, SlotDescriptor.REQUEST_LENGTH_OFFSET, length);
      QueuePair.setLong(header, SlotDescriptor.ARG0_OFFSET, a0);
      QueuePair.setLong(header, SlotDescriptor.ARG1_OFFSET, a1);
      QueuePair.setLong(header, SlotDescriptor.ARG2_OFFSET, a2);
      QueuePair.setLong(header, SlotDescriptor.RESPONSE_ID_OFFSET, 0);
      QueuePair.setLongRelease(header, SlotDescriptor.REQUEST_ID_OFFSET, id);
      CallTable.Waiter w = new CallTable.Waiter(Thread.currentThread(), id, slot, deadline);
      t.register(w);
      if (!offer(q, RingDescriptor.entry(slot, id), deadline)) {
        release = false;
        t.unregister(w);
        throw new HostCallException(
            op + " " + what + ": request ring " + q.index
                + " refused the request until the deadline (full or corrupted)");
      }
      VarHandle.fullFence();
      if (q.sleepers() > 0) {
        exitCost.pay(); // waking a sleeping sthread is a futex call: one enclave exit
        sthreads.wakeOne();
      }
      int state =
          t.await(
              w, deadline, config.callerSpins(), config.callerYields(), config.ethreads(),
              exitCost);
      if (state != CallTable.DONE) {
        release = false; // the host may still write into this slot: keep it until it answers
        if (state == CallTable.FAILED) {
          throw new HostCallException(op + " " + what + ": " + w.failure);
        }
        throw new HostCallException(
            op + " " + what + ": no host answer within " + config.callTimeout().toMillis()
                + " ms (queue " + q.index + ", slot " + slot + ", request " + id + "); "
                + violations() + " host answers refused so far" + lastViolation(t));
      }
      long responseId = QueuePair.getLongAcquire(header, SlotDescriptor.RESPONSE_ID_OFFSET);
      long result = QueuePair.getLong(header, SlotDescriptor.RESULT_OFFSET);
      int error = QueuePair.getInt(header, SlotDescriptor.ERROR_OFFSET);
      int rlen = QueuePair.getInt(header, SlotDescriptor.RESPONSE_LENGTH_OFFSET);
      if (responseId != id) {
        throw new HostCallException(
            op + " " + what + ": slot " + slot + " holds an answer to request " + responseId
                + ", not to request " + id);
      }
      if (rlen < 0 || rlen > q.bufferBytes) {
        throw new HostCallException(
            op + " " + what + ": host response length " + rlen + " outside the slot buffer of "
                + q.bufferBytes + " bytes");
      }
      HostError he = HostError.of(error);
      if (he == null) {
        throw new HostCallException(
            op + " " + what + ": host returned unknown error code " + error);
      }
      if (he != HostError.OK) {
        throw he.toException(String.valueOf(what), SlotCodec.message(data, rlen));
      }
      return resp.read(result, rlen, data);
    } finally {
      if (release) {
        t.release(slot);
      }
    }
  }

  /** Offers, retrying while a stalled sthread holds a cell, until the deadline. */
  private static boolean offer(QueuePair q, long entry, long deadline) {
    while (!q.requests.offer(entry)) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      Thread.yield();
    }
    return true;
  }

  private static String lastViolation(CallTable t) {
    String v = t.lastViolation();
    return v.isEmpty() ? "" : " (last: " + v + ")";
  }

  private void pathCall(HostOp op, String path) throws IOException {
    call(op, path, 0, 0, 0, d -> putString(d, 0, path, path), (r, n, d) -> checkEmpty(r, n, path));
  }

  private void handleCall(HostOp op, long handle, long arg) throws IOException {
    Object what = new HandleName(handle);
    call(op, what, handle, arg, 0, NO_DATA, (r, n, d) -> checkEmpty(r, n, what));
  }

  @Override
  public long open(String path, int flags) throws IOException {
    return call(
        HostOp.OPEN, path, flags, 0, 0, d -> putString(d, 0, path, path),
        (r, n, d) -> checkEmpty(r, n, path));
  }

  @Override
  public int pread(long handle, ByteBuffer dst, long position) throws IOException {
    Object what = new HandleName(handle);
    int total = 0;
    while (dst.hasRemaining()) {
      int chunk = Math.min(dst.remaining(), config.slotBytes());
      int n =
          call(HostOp.PREAD, what, handle, position + total, chunk, NO_DATA,
              (r, len, d) -> {
                if (r < -1 || r > chunk) {
                  throw new HostCallException(
                      "host returned read count " + r + " for " + chunk + " bytes: " + what);
                }
                if (r != len && !(r == -1 && len == 0)) { // the message only on failure
                  IagoChecks.readCount(what.toString(), (int) r, chunk, len);
                }
                int count = (int) r;
                MemorySegment.copy(d, 0, MemorySegment.ofBuffer(dst), 0, len);
                dst.position(dst.position() + len);
                return count;
              });
      if (n < 0) {
        return total == 0 ? -1 : total;
      }
      total += n;
      if (n < chunk) {
        break;
      }
    }
    return total;
  }

  @Override
  public int pwrite(long handle, ByteBuffer src, long position) throws IOException {
    Object what = new HandleName(handle);
    int total = 0;
    while (src.hasRemaining()) {
      int chunk = Math.min(src.remaining(), config.slotBytes());
      int n =
          call(HostOp.PWRITE, what, handle, position + total, chunk,
              d -> {
                MemorySegment.copy(MemorySegment.ofBuffer(src), 0, d, 0, chunk);
                return chunk;
              },
              (r, len, d) -> {
                if (r < 0 || r > chunk) {
                  throw new HostCallException(
                      "host returned write count " + r + " for " + chunk + " bytes: " + what);
                }
                checkEmpty(r, len, what);
                return (int) r;
              });
      src.position(src.position() + n);
      total += n;
      if (n < chunk) {
        break;
      }
    }
    return total;
  }

  @Override
  public long size(long handle) throws IOException {
    Object what = new HandleName(handle);
    return call(HostOp.SIZE, what, handle, 0, 0, NO_DATA, (r, n, d) -> checkEmpty(r, n, what));
  }

  @Override
  public void truncate(long handle, long sizeBytes) throws IOException {
    handleCall(HostOp.TRUNCATE, handle, sizeBytes);
  }

  @Override
  public boolean punchHole(long handle, long position, long length) throws IOException {
    Object what = new HandleName(handle);
    return call(HostOp.PUNCH_HOLE, what, handle, position, length, NO_DATA,
        (r, n, d) -> checkEmpty(r, n, what)) == 1;
  }

  @Override
  public void fsync(long handle, boolean metadata) throws IOException {
    handleCall(HostOp.FSYNC, handle, metadata ? 1 : 0);
  }

  @Override
  public void close(long handle) throws IOException {
    handleCall(HostOp.CLOSE, handle, 0);
  }

  @Override
  public HostStat stat(String path) throws IOException {
    return call(
        HostOp.STAT, path, 0, 0, 0, d -> putString(d, 0, path, path),
        (r, n, d) -> SlotCodec.stat(n, d, path));
  }

  @Override
  public List<String> list(String dir) throws IOException {
    List<String> names = new ArrayList<>();
    while (true) {
      long skip = names.size();
      long page =
          call(HostOp.LIST, dir, skip, 0, 0, d -> putString(d, 0, dir, dir),
              (r, n, d) -> SlotCodec.listPage(r, n, d, names, skip, dir));
      if (page == 0) {
        return names;
      }
    }
  }

  @Override
  public void mkdir(String path) throws IOException {
    pathCall(HostOp.MKDIR, path);
  }

  @Override
  public void delete(String path) throws IOException {
    pathCall(HostOp.DELETE, path);
  }

  @Override
  public void rename(String from, String to) throws IOException {
    String what = from + " -> " + to;
    int fromLen = from.getBytes(StandardCharsets.UTF_8).length;
    call(HostOp.RENAME, what, fromLen, 0, 0,
        d -> {
          putString(d, 0, from, what);
          return fromLen + 1 + putString(d, fromLen + 1, to, what);
        },
        (r, n, d) -> checkEmpty(r, n, what));
  }

  @Override
  public void fsyncDir(String dir) throws IOException {
    pathCall(HostOp.FSYNC_DIR, dir);
  }

  /**
   * Stops the sthreads, fails every pending call and closes the host implementation given to
   * {@link #create(HostCallConfig, HostCalls)}; later calls are refused.
   */
  @Override
  public void close() throws IOException {
    closed = true;
    for (CallTable t : tables) {
      t.failAll("host calls closed while waiting");
    }
    sthreads.close();
    LockSupport.unpark(watchdog);
    if (hostToClose != null) {
      hostToClose.close();
    }
  }
}
