package io.sconej.fileshield.nio;

import io.sconej.hostcalls.PlatformProvider;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;

/**
 * Private memory that the JDK counts as mapped ({@link MemorySegment#isMapped()}, so that {@code
 * load()}, {@code isLoaded()} and {@code unload()} work, as callers of a real mapping expect:
 * Lucene preloads some files): a {@code MAP_PRIVATE} mapping of a fresh, unnamed memory file
 * ({@code memfd_create}), which is never written. Writes to the mapping go to the process's own
 * copy-on-write pages, never to the file; once they are written, the file's pages are released
 * ({@code fallocate(PUNCH_HOLE)}), so the copy costs its size once, and the file is closed. No
 * host file is involved. Linux only: elsewhere {@link #map} returns empty.
 */
final class MemfdMaps {
  private static final int MFD_CLOEXEC = 1;
  private static final int FALLOC_FL_KEEP_SIZE = 1;
  private static final int FALLOC_FL_PUNCH_HOLE = 2;
  private static final MethodHandle MEMFD_CREATE;
  private static final MethodHandle FALLOCATE;
  private static final MethodHandle CLOSE;

  static {
    MethodHandle memfd = null;
    MethodHandle fallocate = null;
    MethodHandle close = null;
    try {
      Linker l = Linker.nativeLinker();
      var lookup = l.defaultLookup();
      memfd = l.downcallHandle(lookup.find("memfd_create").orElseThrow(),
          FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
      fallocate = l.downcallHandle(lookup.find("fallocate").orElseThrow(),
          FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
              ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
      close = l.downcallHandle(lookup.find("close").orElseThrow(),
          FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    } catch (RuntimeException | LinkageError e) {
      memfd = null; // not Linux, or no native access: callers fall back to plain memory
    }
    MEMFD_CREATE = memfd;
    FALLOCATE = fallocate;
    CLOSE = close;
  }

  /** A region being filled: {@link #segment} in {@code owner}; call {@link #filled} after. */
  record Region(MemorySegment segment, int fd) {
    /** Releases the memory file's pages (the mapping keeps its written copy) and closes it. */
    void filled() {
      try {
        FALLOCATE.invokeExact(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0L,
            segment.byteSize());
      } catch (Throwable e) {
        // the pages stay allocated until unmapped: a cost, not a leak
      } finally {
        closeFd(fd);
      }
    }
  }

  private MemfdMaps() {}

  /**
   * A writable, zero-filled private mapping of {@code size} bytes, unmapped when {@code owner}
   * closes; empty where memory files are not available.
   */
  static Optional<Region> map(long size, Arena owner) throws IOException {
    if (MEMFD_CREATE == null || size == 0) {
      return Optional.empty();
    }
    int fd;
    try (Arena a = Arena.ofConfined()) {
      fd = (int) MEMFD_CREATE.invokeExact(a.allocateFrom("sconej-map"), MFD_CLOEXEC);
    } catch (Throwable e) {
      return Optional.empty();
    }
    if (fd < 0) {
      return Optional.empty();
    }
    try (FileChannel ch = PlatformProvider.get().newFileChannel(
        Hosts.platformPath("/proc/self/fd/" + fd),
        Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE))) {
      // Extends the (empty) memory file to size, sparsely, then maps it copy-on-write.
      return Optional.of(new Region(ch.map(FileChannel.MapMode.PRIVATE, 0, size, owner), fd));
    } catch (IOException | RuntimeException e) {
      closeFd(fd);
      throw e;
    }
  }

  private static void closeFd(int fd) {
    try {
      int unused = (int) CLOSE.invokeExact(fd);
    } catch (Throwable e) {
      // nothing more to do
    }
  }
}
