package io.sconej.ioagent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

/**
 * The {@code java.io} interception agent: {@code -javaagent:sconej-ioagent.jar[=classes=...]}.
 *
 * <p>At start it appends its own jar to the bootstrap class path (so that {@code java.base} can
 * call {@code io.sconej.ioagent.boot.IoBridge}), lets {@code java.base} read the boot loader's
 * unnamed module, and retransforms {@code FileInputStream}, {@code FileOutputStream}, {@code
 * RandomAccessFile} and {@code UnixFileSystem} (behind {@code java.io.File}'s metadata methods),
 * and the two classes that pick the default temporary directory ({@code File.TempDirectory},
 * {@code java.nio.file.TempFileHelper}: they then read {@code java.io.tmpdir} when a temporary
 * file is created, not at JVM start). Until the runtime calls {@code IoBridge.install(router)}, every intercepted call runs the JDK's
 * own code.
 *
 * <p>Refusals: if the agent cannot apply every hook (another JDK, a missing capability), it throws
 * from {@code premain}, and the JVM refuses to start the application: it never runs half-shielded.
 * The optional argument {@code
 * classes=FileInputStream,FileOutputStream,RandomAccessFile,File,TempFiles} restricts the
 * transformed classes (for measurements; the default is all of them); see {@link
 * Installer#install} for the other options. With {@code -Dsconej.ioagent.timing=true} it prints
 * how long installation took.
 */
public final class IoAgent {
  private IoAgent() {}

  /** Entry point for {@code -javaagent}. */
  public static void premain(String args, Instrumentation inst) throws Exception {
    install(args, inst);
  }

  /** Entry point for dynamic attach; the same guarantees as {@link #premain}. */
  public static void agentmain(String args, Instrumentation inst) throws Exception {
    install(args, inst);
  }

  private static void install(String args, Instrumentation inst) throws Exception {
    long start = System.nanoTime();
    // First the jar goes on the boot class path; only then is Installer resolved, so that it and
    // every class it uses are boot-loaded (one runtime package with the bridge).
    // sconej run puts this jar on the boot class path itself (-Xbootclasspath/a): then nothing is
    // appended at run time, which would stop the JVM from sharing (AOT/CDS) any class the
    // application class loader loads, and print a VM warning into a protected console.
    boolean onBootPath = IoAgent.class.getClassLoader() == null;
    File agentJar = onBootPath ? null : agentJar();
    if (!onBootPath) {
      try (JarFile jar = new JarFile(agentJar)) {
        inst.appendToBootstrapClassLoaderSearch(jar);
      }
    }
    // Opened only if the installer needs the build-time patch cache (finding a boot-loaded jar
    // costs a resource lookup on the boot class path).
    List<JarFile> opened = new ArrayList<>();
    try {
      String summary = Installer.install(args, inst, () -> {
        JarFile jar = new JarFile(onBootPath ? bootPathJar() : agentJar);
        opened.add(jar);
        return jar;
      });
      if (Boolean.getBoolean("sconej.ioagent.timing")) {
        System.err.println("sconej-ioagent: installed in "
            + (System.nanoTime() - start) / 1_000_000 + " ms (" + summary + ")");
      }
    } finally {
      for (JarFile jar : opened) {
        jar.close();
      }
    }
  }

  /** This agent's jar when it is on the boot class path (boot classes have no code source). */
  private static File bootPathJar() throws URISyntaxException {
    java.net.URL u = IoAgent.class.getResource("IoAgent.class");
    String s = u == null ? "" : u.toString();
    int bang = s.indexOf("!/");
    if (!s.startsWith("jar:file:") || bang < 0) {
      throw new IllegalStateException("sconej-ioagent: boot-loaded, but not from a jar: " + s);
    }
    return new File(new java.net.URI(s.substring("jar:".length(), bang)));
  }

  private static File agentJar() throws URISyntaxException {
    File jar = new File(IoAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (!jar.isFile()) {
      throw new IllegalStateException(
          "sconej-ioagent: the agent must run from its jar, not from " + jar);
    }
    return jar;
  }
}
