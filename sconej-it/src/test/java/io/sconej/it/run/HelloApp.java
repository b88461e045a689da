package io.sconej.it.run;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/** A plain application (no sconej code) used by the run tests: counts its runs in /data. */
public final class HelloApp {
  private HelloApp() {}

  /** Prints its arguments and environment, bumps a counter file in the shielded volume. */
  public static void main(String[] args) throws Throwable {
    System.out.println("APP-STARTED args=" + String.join(",", args)
        + " GREETING=" + System.getenv("GREETING") + " HOME=" + System.getenv("HOME")
        + " native:GREETING=" + nativeGetenv("GREETING") + " native:HOME=" + nativeGetenv("HOME"));
    Path f = Path.of(args[0], "counter.txt");
    int n = Files.exists(f) ? Integer.parseInt(Files.readString(f).split(" ")[0]) : 0;
    Files.writeString(f, (n + 1) + " COUNTER-PLAINTEXT-MARKER");
    System.out.println("run " + (n + 1) + " cpus=" + Runtime.getRuntime().availableProcessors());
  }

  /** What native code in this process sees: the C library's getenv. */
  private static String nativeGetenv(String name) throws Throwable {
    Linker linker = Linker.nativeLinker();
    MethodHandle getenv = linker.downcallHandle(linker.defaultLookup().find("getenv").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment v = (MemorySegment) getenv.invokeExact(arena.allocateFrom(name));
      return v.equals(MemorySegment.NULL) ? "null" : v.reinterpret(4096).getString(0);
    }
  }
}
