package io.sconej.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.instrument.Instrumentation;
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
   * (opening {@code java.lang} to this module) and the C library's {@code environ} (done on a
   * helper thread while the enclave attests).
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
      MemorySegment environ = Linker.nativeLinker().defaultLookup().find("environ")
          .orElseThrow(() -> new IllegalStateException("the C library exports no environ"))
          .reinterpret(ValueLayout.ADDRESS.byteSize());
      return new Prepared(f, var, val, environ);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot install the session environment: " + e, e);
    }
  }

  /** What {@link #prepare()} found; {@link #replace} installs an environment with it. */
  record Prepared(Field environment, Method variable, Method value, MemorySegment environ) {
    /**
     * Replaces the JDK's cached environment (what {@link System#getenv()} and child processes
     * get) and the native one (what native code's {@code getenv} reads) with {@code env}. The
     * native one is a new {@code NAME=VALUE} array that {@code environ} points to, as POSIX lets
     * an application do; it is never freed. (Linking {@code clearenv} and {@code setenv} instead
     * generated code on every start.)
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
      Arena forever = Arena.global();
      MemorySegment array = forever.allocate(ValueLayout.ADDRESS, env.size() + 1L);
      long i = 0;
      for (var e : env.entrySet()) {
        array.setAtIndex(ValueLayout.ADDRESS, i++,
            forever.allocateFrom(e.getKey() + "=" + e.getValue()));
      }
      array.setAtIndex(ValueLayout.ADDRESS, i, MemorySegment.NULL);
      environ.set(ValueLayout.ADDRESS, 0, array);
    }
  }
}
