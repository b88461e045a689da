package io.sconej.fileshield.nio;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * In-process byte-range locks of one sconej file system, keyed by file path. They have the
 * semantics the JDK gives locks within one JVM (an overlapping lock throws {@link
 * OverlappingFileLockException}); they do not exclude other processes.
 */
final class FileLocks {
  private final Map<String, List<Held>> held = new HashMap<>();

  synchronized FileLock acquire(
      FileChannel ch, String file, long position, long size, boolean shared) {
    List<Held> list = held.computeIfAbsent(file, k -> new ArrayList<>());
    for (Held h : list) {
      if (h.overlaps(position, size)) {
        throw new OverlappingFileLockException();
      }
    }
    Held h = new Held(ch, file, position, size, shared);
    list.add(h);
    return h;
  }

  synchronized void releaseAll(FileChannel ch) {
    for (List<Held> list : held.values()) {
      for (Held h : List.copyOf(list)) {
        if (h.channel() == ch) {
          h.invalidate();
        }
      }
    }
  }

  private synchronized void remove(Held h) {
    List<Held> list = held.get(h.file);
    if (list != null) {
      list.remove(h);
      if (list.isEmpty()) {
        held.remove(h.file);
      }
    }
  }

  private final class Held extends FileLock {
    private final String file;
    private volatile boolean valid = true;

    Held(FileChannel ch, String file, long position, long size, boolean shared) {
      super(ch, position, size, shared);
      this.file = file;
    }

    @Override
    public boolean isValid() {
      return valid && channel().isOpen();
    }

    void invalidate() {
      valid = false;
      remove(this);
    }

    @Override
    public void release() throws java.io.IOException {
      if (valid && !channel().isOpen()) {
        throw new java.nio.channels.ClosedChannelException();
      }
      invalidate();
    }
  }
}
