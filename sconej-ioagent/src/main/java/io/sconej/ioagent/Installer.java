package io.sconej.ioagent;

import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;

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
   * @param args the agent argument: {@code null}, empty, or options separated by {@code ;}:
   *     {@code classes=A,B,...} (restrict the transformed classes), {@code capture=FILE} (write
   *     the transformed bytes as a patch cache, used by the build), {@code patches=FILE} (also use
   *     the patch cache in FILE, and add this run's transformations to it if any class missed:
   *     sconej run keeps one per AOT cache, whose JVM hands other class bytes than the build's),
   *     {@code verify-cache} (recompute cached results and refuse stale ones)
   * @param jar opens the agent jar, read for its build-time patch cache unless the run-time one
   *     ({@code patches=FILE}) has an entry for every class; the caller closes what it opened
   * @return a one-line summary for start-up diagnostics
   * @throws IllegalStateException if the bridge is not boot-loaded or any hook is missing
   * @throws IllegalArgumentException if the argument names an unknown option or class
   */
  public static String install(String args, Instrumentation inst,
      java.util.concurrent.Callable<JarFile> jar) throws Exception {
    if (!inst.isRetransformClassesSupported()) {
      throw new IllegalStateException(
          "sconej-ioagent: the JVM does not allow retransformation (Can-Retransform-Classes)");
    }
    if (Installer.class.getClassLoader() != null) {
      throw new IllegalStateException("sconej-ioagent: the installer is not boot-loaded");
    }
    List<String> classes = Hook.DEFAULT_CLASSES;
    String capture = null;
    String patches = null;
    boolean verifyCache = false;
    for (String option : args == null || args.isBlank() ? new String[0] : args.split(";")) {
      if (option.startsWith("classes=")) {
        classes = classes(option.substring("classes=".length()));
      } else if (option.startsWith("capture=")) {
        capture = option.substring("capture=".length());
      } else if (option.startsWith("patches=")) {
        patches = option.substring("patches=".length());
      } else if (option.equals("verify-cache")) {
        verifyCache = true;
      } else {
        throw new IllegalArgumentException("sconej-ioagent: unknown option: " + option);
      }
    }
    Class<?> bridge = Class.forName("io.sconej.ioagent.boot.IoBridge", false, null);
    inst.redefineModule(
        Object.class.getModule(), Set.of(bridge.getModule()), Map.of(), Map.of(), Set.of(),
        Map.of());
    // A run-time cache with an entry for every class spares finding, opening and inflating the
    // agent jar; its entries are checked byte for byte all the same. (The jar cannot be read
    // lazily: the transformer runs while java.io itself is being retransformed.)
    PatchCache cache = patches != null ? PatchCache.readFile(patches) : PatchCache.empty();
    if (!cache.covers(classes)) {
      cache = cache.plus(PatchCache.read(jar.call()));
    }
    // Loaded (not initialised) before the transformer is added, so that a class not loaded yet
    // (the temporary-file classes) is transformed once, by the retransformation.
    List<Class<?>> targets = new ArrayList<>();
    for (String c : classes) {
      targets.add(Class.forName(c.replace('/', '.'), false, null));
    }
    IoTransformer transformer = new IoTransformer(Hook.all(classes), cache, verifyCache);
    inst.addTransformer(transformer, true);
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
    if (capture != null) {
      PatchCache.merge(capture, transformer.seen());
    }
    if (patches != null && transformer.cacheHits() < targets.size()) {
      try {
        PatchCache.merge(patches, transformer.seen());
      } catch (java.io.IOException e) {
        // Only a start-up optimisation: the next start transforms again.
      }
    }
    return "classes " + classes.size() + ", from build-time cache " + transformer.cacheHits();
  }

  private static List<String> classes(String list) {
    List<String> chosen = new ArrayList<>();
    for (String name : list.split(",")) {
      List<String> internal = switch (name) {
        case "File" -> List.of(Hook.UFS);
        case "TempFiles" -> List.of(Hook.TEMP_DIRECTORY, Hook.TEMP_HELPER);
        default -> List.of("java/io/" + name);
      };
      if (!Hook.DEFAULT_CLASSES.containsAll(internal)) {
        throw new IllegalArgumentException("sconej-ioagent: cannot intercept class " + name);
      }
      chosen.addAll(internal);
    }
    return chosen;
  }
}
