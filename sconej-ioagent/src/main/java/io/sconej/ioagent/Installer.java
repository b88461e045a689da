package io.sconej.ioagent;

import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Installs the hooks once the agent jar is on the boot class path; it is loaded by the boot loader
 * (one runtime package with the transformer). Not an application API: {@link IoAgent} is the
 * entry point.
 */
public final class Installer {
  private Installer() {}

  /**
   * Lets {@code java.base} read the bridge's module and retransforms the selected classes.
   *
   * @param args the agent argument, {@code null}, empty or {@code classes=A,B,...}
   * @throws IllegalStateException if the bridge is not boot-loaded or any hook is missing
   * @throws IllegalArgumentException if the argument names an unknown option or class
   */
  public static void install(String args, Instrumentation inst) throws Exception {
    if (!inst.isRetransformClassesSupported()) {
      throw new IllegalStateException(
          "sconej-ioagent: the JVM does not allow retransformation (Can-Retransform-Classes)");
    }
    if (Installer.class.getClassLoader() != null) {
      throw new IllegalStateException("sconej-ioagent: the installer is not boot-loaded");
    }
    List<String> classes = classes(args);
    Class<?> bridge = Class.forName("io.sconej.ioagent.boot.IoBridge", false, null);
    inst.redefineModule(
        Object.class.getModule(), Set.of(bridge.getModule()), Map.of(), Map.of(), Set.of(),
        Map.of());
    IoTransformer transformer = new IoTransformer(Hook.all(classes));
    inst.addTransformer(transformer, true);
    List<Class<?>> targets = new ArrayList<>();
    for (String c : classes) {
      targets.add(Class.forName(c.replace('/', '.'), false, null));
    }
    try {
      inst.retransformClasses(targets.toArray(new Class<?>[0]));
    } catch (UnmodifiableClassException e) {
      throw new IllegalStateException("sconej-ioagent: cannot retransform " + e.getMessage(), e);
    }
    List<Hook> missing = transformer.missing();
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "sconej-ioagent: this JDK lacks the methods to intercept, first: "
              + missing.get(0).owner() + "." + missing.get(0).key());
    }
  }

  private static List<String> classes(String args) {
    List<String> all = List.of(Hook.FIS, Hook.FOS, Hook.RAF, Hook.UFS);
    if (args == null || args.isBlank()) {
      return all;
    }
    if (!args.startsWith("classes=")) {
      throw new IllegalArgumentException(
          "sconej-ioagent: unknown argument (expected classes=...): " + args);
    }
    List<String> chosen = new ArrayList<>();
    for (String name : args.substring("classes=".length()).split(",")) {
      String internal = name.equals("File") ? Hook.UFS : "java/io/" + name;
      if (!all.contains(internal)) {
        throw new IllegalArgumentException("sconej-ioagent: cannot intercept class " + name);
      }
      chosen.add(internal);
    }
    return chosen;
  }
}
