package io.sconej.fileshield;

import io.sconej.hostcalls.HostCalls;
import io.sconej.hostcalls.HostStat;
import io.sconej.hostcalls.SyncHostCalls;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Real host calls on real files that can simulate a power loss: {@link #powerLoss()} undoes every
 * write and truncation not made durable by an fsync of its file (for each file, at random, all or
 * none of them: a disk may have written some back by itself), and deletes files created in a
 * directory that was not fsynced since. {@link #dieAfter} makes every call fail from the n-th on,
 * the way a process that is killed mid-commit stops issuing them.
 */
final class PowerLossHostCalls implements HostCalls {
  private record Undo(long position, byte[] old, long oldSize) {}

  private final SyncHostCalls real = SyncHostCalls.create();
  private final SplittableRandom random;
  private final Map<Long, String> paths = new HashMap<>();
  private final Map<String, Deque<Undo>> unsynced = new HashMap<>();
  private final Set<String> createdUnsynced = new HashSet<>();
  private long callsLeft = Long.MAX_VALUE;
  int fsyncs;

  PowerLossHostCalls(long seed) {
    random = new SplittableRandom(seed);
  }

  /** From the {@code n}-th call from now on, every call fails. */
  synchronized void dieAfter(long n) {
    callsLeft = n;
  }

  private void tick() throws IOException {
    if (callsLeft-- <= 0) {
      throw new IOException("power is off");
    }
  }

  /** Closes every handle and loses what was not durable; the volume object is abandoned. */
  synchronized void powerLoss() throws IOException {
    for (long h : paths.keySet()) {
      real.close(h);
    }
    paths.clear();
    for (var e : unsynced.entrySet()) {
      if (random.nextBoolean() || createdUnsynced.contains(e.getKey())) {
        revert(e.getKey(), e.getValue());
      }
    }
    unsynced.clear();
    for (String p : createdUnsynced) {
      if (real.stat(p).exists()) {
        real.delete(p);
      }
    }
    createdUnsynced.clear();
    callsLeft = Long.MAX_VALUE;
  }

  private void revert(String path, Deque<Undo> undo) throws IOException {
    if (!real.stat(path).exists()) {
      return;
    }
    long h = real.open(path, READ | WRITE);
    try {
      while (!undo.isEmpty()) {
        Undo u = undo.pop(); // newest first
        ByteBuffer b = ByteBuffer.wrap(u.old);
        while (b.hasRemaining()) {
          real.pwrite(h, b, u.position + b.position());
        }
        if (real.size(h) > u.oldSize) {
          real.truncate(h, u.oldSize);
        }
      }
    } finally {
      real.close(h);
    }
  }

  /** Records what a write of {@code len} bytes at {@code pos} (or a truncation) will destroy. */
  private void remember(long h, long pos, long len) throws IOException {
    String p = paths.get(h);
    long size = real.size(h);
    int n = (int) Math.max(0, Math.min(len, size - pos));
    ByteBuffer old = ByteBuffer.allocate(n);
    while (old.hasRemaining() && real.pread(h, old, pos + old.position()) > 0) {
      // fill
    }
    unsynced.computeIfAbsent(p, k -> new ArrayDeque<>()).push(new Undo(pos, old.array(), size));
  }

  @Override
  public synchronized long open(String path, int flags) throws IOException {
    tick();
    boolean existed = real.stat(path).exists();
    long h = real.open(path, flags);
    paths.put(h, path);
    if (!existed) {
      createdUnsynced.add(path);
    }
    return h;
  }

  @Override
  public synchronized int pread(long handle, ByteBuffer dst, long position) throws IOException {
    tick();
    return real.pread(handle, dst, position);
  }

  @Override
  public synchronized int pwrite(long handle, ByteBuffer src, long position) throws IOException {
    tick();
    remember(handle, position, src.remaining());
    return real.pwrite(handle, src, position);
  }

  @Override
  public synchronized long size(long handle) throws IOException {
    tick();
    return real.size(handle);
  }

  @Override
  public synchronized void truncate(long handle, long sizeBytes) throws IOException {
    tick();
    remember(handle, sizeBytes, Long.MAX_VALUE / 2);
    real.truncate(handle, sizeBytes);
  }

  @Override
  public synchronized void fsync(long handle, boolean metadata) throws IOException {
    tick();
    real.fsync(handle, metadata);
    fsyncs++;
    unsynced.remove(paths.get(handle));
  }

  @Override
  public synchronized void close(long handle) throws IOException {
    tick();
    paths.remove(handle);
    real.close(handle);
  }

  @Override
  public synchronized HostStat stat(String path) throws IOException {
    tick();
    return real.stat(path);
  }

  @Override
  public synchronized List<String> list(String dir) throws IOException {
    tick();
    return real.list(dir);
  }

  @Override
  public synchronized void mkdir(String path) throws IOException {
    tick();
    real.mkdir(path);
  }

  @Override
  public synchronized void delete(String path) throws IOException {
    tick();
    real.delete(path);
    unsynced.remove(path);
    createdUnsynced.remove(path);
  }

  @Override
  public synchronized void rename(String from, String to) throws IOException {
    tick();
    real.rename(from, to);
    Deque<Undo> u = unsynced.remove(from);
    if (u != null) {
      unsynced.put(to, u);
    }
    if (createdUnsynced.remove(from)) {
      createdUnsynced.add(to);
    }
  }

  @Override
  public synchronized void fsyncDir(String dir) throws IOException {
    tick();
    real.fsyncDir(dir);
    fsyncs++;
    List<String> done = new ArrayList<>();
    for (String p : createdUnsynced) {
      if (Path.of(p).getParent().toString().equals(dir)) {
        done.add(p);
      }
    }
    done.forEach(createdUnsynced::remove);
  }

  @Override
  public void close() throws IOException {
    real.close();
  }
}
