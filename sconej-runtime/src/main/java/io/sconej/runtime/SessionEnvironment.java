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
   * Looks up what {@link Prepared#replace} needs: the JDK's environment map and value factories
   * (opening {@code java.lang} to this module) and the native {@code clearenv} and {@code setenv}
   * (linking them generates code: done on a helper thread while the enclave attests).
   *
   * @throws IllegalStateException if the JVM was not started with the runtime agent or the JDK's
   *     internals differ (the start is then refused: no silent fallback to the host environment)
   */
  static Prepared prepare() {
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
      Method var = Class.forName("java.lang.ProcessEnvironment$Variable")
          .getDeclaredMethod("valueOf", String.class);
      Method val = Class.forName("java.lang.ProcessEnvironment$Value")
          .getDeclaredMethod("valueOf", String.class);
      var.setAccessible(true);
      val.setAccessible(true);
      Linker linker = Linker.nativeLinker();
      var lookup = linker.defaultLookup();
      MethodHandle clearenv = linker.downcallHandle(lookup.find("clearenv").orElseThrow(),
          FunctionDescriptor.of(ValueLayout.JAVA_INT));
      MethodHandle setenv = linker.downcallHandle(lookup.find("setenv").orElseThrow(),
          FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
              ValueLayout.JAVA_INT));
      return new Prepared(f, var, val, clearenv, setenv);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot install the session environment: " + e, e);
    }
  }

  /** What {@link #prepare()} found; {@link #replace} installs an environment with it. */
  record Prepared(Field environment, Method variable, Method value, MethodHandle clearenv,
      MethodHandle setenv) {
    /**
     * Replaces the JDK's cached environment and the native one with {@code env}.
     *
     * @throws IllegalStateException if either cannot be replaced (the start is then refused)
     */
    @SuppressWarnings("unchecked")
    void replace(Map<String, String> env) {
      try {
        Map<Object, Object> live = (Map<Object, Object>) environment.get(null);
        live.clear();
        for (var e : env.entrySet()) {
          live.put(variable.invoke(null, e.getKey()), value.invoke(null, e.getValue()));
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        throw new IllegalStateException("cannot install the session environment: " + e, e);
      }
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
}
