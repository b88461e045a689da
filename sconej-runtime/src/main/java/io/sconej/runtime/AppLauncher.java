package io.sconej.runtime;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Modifier;

/** Calls the application's {@code public static void main(String[])}, unchanged. */
final class AppLauncher {
  private AppLauncher() {}

  /**
   * Resolves the main method before any application code runs.
   *
   * @throws LaunchException (exit 2) if the class or its main method does not exist
   */
  static MethodHandle resolve(String mainClass, ClassLoader loader) throws LaunchException {
    Class<?> c;
    try {
      c = Class.forName(mainClass, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new LaunchException(2, "application main class " + mainClass
          + " not found on the class path");
    }
    try {
      var m = c.getMethod("main", String[].class);
      if (!Modifier.isStatic(m.getModifiers()) || m.getReturnType() != void.class) {
        throw new NoSuchMethodException();
      }
      return MethodHandles.publicLookup().findStatic(c, "main",
          MethodType.methodType(void.class, String[].class));
    } catch (NoSuchMethodException | IllegalAccessException e) {
      throw new LaunchException(2, "class " + mainClass
          + " has no public static void main(String[])");
    }
  }
}
