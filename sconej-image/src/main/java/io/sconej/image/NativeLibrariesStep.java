package io.sconej.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The build machine's shared libraries that a linked JRE needs (the C library, its dynamic
 * loader, libz...), found with {@code ldd} on {@code bin/java} and every {@code .so} of the JRE.
 * An image from scratch has no other libraries; each is placed at the path the loader looks for
 * it, as on the build machine. The JRE's own libraries are not repeated here.
 */
final class NativeLibrariesStep implements Callable<Map<String, Path>> {
  private final Path jre;

  NativeLibrariesStep(Path jre) {
    this.jre = jre;
  }

  /** The libraries by absolute path in the image, each with the file that holds it here. */
  @Override
  public Map<String, Path> call() throws ImageException {
    Map<String, Path> libs = new TreeMap<>();
    List<Path> elf;
    try (Stream<Path> s = Files.walk(jre)) {
      elf = s.filter(p -> Files.isRegularFile(p) && (p.getFileName().toString().endsWith(".so")
          || p.equals(jre.resolve("bin/java")))).sorted().toList();
    } catch (IOException e) {
      throw ImageException.failed("cannot list the JRE " + jre + ": " + e.getMessage(), e);
    }
    for (Path f : elf) {
      for (String line : ldd(f).lines().toList()) {
        String path = libraryPath(line.strip());
        if (path == null) {
          continue;
        }
        Path real;
        try {
          real = Path.of(path).toRealPath();
        } catch (IOException e) {
          throw ImageException.failed("ldd names " + path + " for " + f + ", which cannot be"
              + " read: " + e.getMessage(), e);
        }
        if (!real.startsWith(jre.toAbsolutePath().normalize())) {
          libs.put(path, real);
        }
      }
    }
    return libs;
  }

  /** The absolute path in one line of ldd output, or null (vdso, not found, a JRE library). */
  static String libraryPath(String line) {
    int arrow = line.indexOf("=> ");
    String rest = arrow >= 0 ? line.substring(arrow + 3) : line;
    if (!rest.startsWith("/")) {
      return null; // "not found" (a JRE library found through another's RUNPATH) or the vdso
    }
    int space = rest.indexOf(' ');
    return space < 0 ? rest : rest.substring(0, space);
  }

  private static String ldd(Path file) throws ImageException {
    try {
      Process p = new ProcessBuilder("ldd", file.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw ImageException.failed("ldd " + file + " did not finish", null);
      }
      return p.exitValue() == 0 ? out : "";
    } catch (IOException e) {
      throw ImageException.failed("cannot run ldd (on Debian: apt-get install libc-bin) to find"
          + " the JRE's native libraries: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ImageException.failed("interrupted", e);
    }
  }
}
