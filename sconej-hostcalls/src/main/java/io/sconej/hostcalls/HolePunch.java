package io.sconej.hostcalls;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Host side of {@link HostCalls#punchHole}: {@code fallocate(FALLOC_FL_PUNCH_HOLE |
 * FALLOC_FL_KEEP_SIZE)} on a path, through the FFM API (the JDK's {@code FileChannel} has no
 * fallocate). The file keeps its size and the range reads as zeros; its blocks go back to the
 * file system. Linux only; elsewhere, or where the file system refuses, {@link #punch} returns
 * false and nothing changes. Needs {@code --enable-native-access=ALL-UNNAMED} to run without the
 * JDK's restricted-method warning (which {@code bin/sconej} passes).
 */
final class HolePunch {
  private static final int O_WRONLY = 1;
  private static final int O_CLOEXEC = 0x80000; // 02000000 on x86-64 and aarch64 Linux
  private static final int FALLOC_FL_KEEP_SIZE = 1;
  private static final int FALLOC_FL_PUNCH_HOLE = 2;
  private static final MethodHandle OPEN;
  private static final MethodHandle FALLOCATE;
  private static final MethodHandle CLOSE;

  static {
    MethodHandle open = null;
    MethodHandle fallocate = null;
    MethodHandle close = null;
    if (System.getProperty("os.name", "").startsWith("Linux")) {
      try {
        Linker l = Linker.nativeLinker();
        var lookup = l.defaultLookup();
        open = l.downcallHandle(lookup.find("open").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            Linker.Option.firstVariadicArg(2));
        fallocate = l.downcallHandle(lookup.find("fallocate").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
        close = l.downcallHandle(lookup.find("close").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
      } catch (RuntimeException | LinkageError e) {
        open = null; // no native access: holes are never punched
      }
    }
    OPEN = open;
    FALLOCATE = fallocate;
    CLOSE = close;
  }

  private HolePunch() {}

  /** True if this JVM can punch holes at all. */
  static boolean available() {
    return OPEN != null;
  }

  /**
   * Punches a hole of {@code length} bytes at {@code position} in the file at {@code path}.
   *
   * @return true if the file system did it, false if it could not (unsupported, no such file)
   */
  static boolean punch(String path, long position, long length) {
    if (OPEN == null || position < 0 || length <= 0) {
      return false;
    }
    int fd;
    try (Arena a = Arena.ofConfined()) {
      fd = (int) OPEN.invokeExact(a.allocateFrom(path), O_WRONLY | O_CLOEXEC, 0);
    } catch (Throwable e) {
      return false;
    }
    if (fd < 0) {
      return false;
    }
    try {
      int r = (int) FALLOCATE.invokeExact(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
          position, length);
      return r == 0;
    } catch (Throwable e) {
      return false;
    } finally {
      try {
        int unused = (int) CLOSE.invokeExact(fd);
      } catch (Throwable e) {
        // the descriptor is lost either way
      }
    }
  }
}
