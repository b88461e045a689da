package io.sconej.runtime;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;

/**
 * Makes the application see exactly the environment its session defines: replaces the JDK's
 * cached environment (what {@link System#getenv()} returns) and the process's native environment
 * (what child processes inherit). Host variables reach the application only where the session
 * imports them.
 */
final class SessionEnvironment {
  private SessionEnvironment() {}

  /**
   * The application's environment: the session's variables, plus the host's value of each
   * variable the session imports by name ({@code host_environment}) where the host sets it.
   */
  static Map<String, String> compose(Map<String, String> session, java.util.List<String> imports,
      Map<String, String> host) {
    Map<String, String> env = new java.util.TreeMap<>(session);
    for (String name : imports) {
      String v = host.get(name);
      if (v != null) {
        env.put(name, v);
      }
    }
    return env;
  }

  /**
   * Replaces the environment.
   *
   * @throws IllegalStateException if the JVM was not started with the runtime agent or the JDK's
   *     internals differ (the start is then refused: no silent fallback to the host environment)
   */
  @SuppressWarnings("unchecked")
  static void replace(Map<String, String> env) {
    Instrumentation inst = RuntimeAgent.instrumentation();
    if (inst == null) {
      throw new IllegalStateException("the runtime agent is not loaded (start with -javaagent)");
    }
    try {
      Module base = Object.class.getModule();
      inst.redefineModule(base, Set.of(), Map.of(),
          Map.of("java.lang", Set.of(SessionEnvironment.class.getModule())), Set.of(), Map.of());
      Class<?> pe = Class.forName("java.lang.ProcessEnvironment");
      Field f = pe.getDeclaredField("theEnvironment");
      f.setAccessible(true);
      Map<Object, Object> live = (Map<Object, Object>) f.get(null);
      Method var = Class.forName("java.lang.ProcessEnvironment$Variable")
          .getDeclaredMethod("valueOf", String.class);
      Method val = Class.forName("java.lang.ProcessEnvironment$Value")
          .getDeclaredMethod("valueOf", String.class);
      var.setAccessible(true);
      val.setAccessible(true);
      live.clear();
      for (var e : env.entrySet()) {
        live.put(var.invoke(null, e.getKey()), val.invoke(null, e.getValue()));
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot install the session environment: " + e, e);
    }
    replaceNative(env);
  }

  private static void replaceNative(Map<String, String> env) {
    Linker linker = Linker.nativeLinker();
    var lookup = linker.defaultLookup();
    MethodHandle clearenv = linker.downcallHandle(lookup.find("clearenv").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.JAVA_INT));
    MethodHandle setenv = linker.downcallHandle(lookup.find("setenv").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
            ValueLayout.JAVA_INT));
    try (var arena = java.lang.foreign.Arena.ofConfined()) {
      if ((int) clearenv.invokeExact() != 0) {
        throw new IllegalStateException("clearenv failed");
      }
      for (var e : env.entrySet()) {
        MemorySegment k = arena.allocateFrom(e.getKey());
        MemorySegment v = arena.allocateFrom(e.getValue());
        if ((int) setenv.invokeExact(k, v, 1) != 0) {
          throw new IllegalStateException("setenv failed for " + e.getKey());
        }
      }
    } catch (Throwable t) {
      throw new IllegalStateException("cannot install the native session environment: " + t, t);
    }
  }
}
