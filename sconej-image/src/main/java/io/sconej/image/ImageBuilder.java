package io.sconej.image;

import io.sconej.attestation.measure.MeasurementException;
import io.sconej.runtime.LaunchSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Builds an enclave's container image ({@code sconej image build}, docs/images.md): checks the
 * inputs, stages the image's files (a linked JRE, the native libraries, the runtime, the
 * application), measures the staged files exactly as the enclave started from the image will
 * ({@link LaunchSettings#measure}: the measurement ignores where files are), then writes an OCI
 * image layout and a Docker-format tar with Jib, offline and from scratch.
 *
 * <p>Refuses ({@link ImageException#badInput()}): a missing or unreadable jar, a file that is not
 * a jar, two jars of the same file name, a main class in none of the jars, a module jdeps cannot
 * resolve or that the JDK does not have, inputs the measurement refuses, an output directory that
 * is not empty.
 */
public final class ImageBuilder {
  /** What a build produced. */
  public record Result(String measurement, String ociDigest, String dockerImageId,
      List<String> modules, Path ociLayout, Path dockerTar) {}

  private ImageBuilder() {}

  /** Builds the image {@code spec} describes. */
  public static Result build(ImageSpec spec) throws ImageException {
    List<Path> app = sortedJars(spec.appJars(), "application");
    List<Path> rt = List.copyOf(spec.runtimeJars()); // fixed order: sconej-runtime, ioagent, ...
    checkJars(rt, "runtime");
    findMainClass(app, spec.mainClass());
    Path out = spec.output().toAbsolutePath().normalize();
    Path work = prepareOutput(out);
    try {
      Path jre = work.resolve("jre");
      List<Path> jdepsInput = new ArrayList<>(rt);
      jdepsInput.addAll(app);
      List<String> modules = new JreStep(jdepsInput, spec.addModules(), jre).call();
      Map<String, Path> libs = new NativeLibrariesStep(jre).call();
      List<Path> stagedRt = stage(rt, work.resolve("runtime"));
      List<Path> stagedApp = stage(app, work.resolve("app"));
      String measurement = measure(spec, jre, stagedRt, stagedApp);
      JibStep jib = new JibStep(spec, jre, libs, stagedRt, stagedApp, measurement,
          ImageLayout.entrypoint(spec, stagedRt, stagedApp), work.resolve("cache"));
      Path oci = out.resolve("oci");
      String ociDigest = jib.ociLayout(work.resolve("oci.tar"), oci);
      Path docker = out.resolve("docker.tar");
      String imageId = jib.dockerTar(docker);
      return new Result(measurement, ociDigest, imageId, modules, oci, docker);
    } finally {
      deleteTree(work);
    }
  }

  /** The measurement of the staged files, as the enclave computes it at start. */
  private static String measure(ImageSpec spec, Path jre, List<Path> rt, List<Path> app)
      throws ImageException {
    try {
      LaunchSettings s =
          new LaunchSettings(spec.mode(), spec.ethreads(), spec.hostCalls(), spec.casIdentity());
      return s.measure(jre, rt, app).hex();
    } catch (MeasurementException e) {
      throw ImageException.badInput("cannot measure: " + e.getMessage());
    } catch (IOException e) {
      throw ImageException.failed("cannot measure: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw ImageException.badInput(e.getMessage());
    }
  }

  /** The jars in file-name order; refuses non-jars and two jars of one name. */
  static List<Path> sortedJars(List<Path> jars, String what) throws ImageException {
    if (jars.isEmpty()) {
      throw ImageException.badInput("no " + what + " jar given");
    }
    checkJars(jars, what);
    Set<String> names = new HashSet<>();
    for (Path j : jars) {
      if (!names.add(j.getFileName().toString())) {
        throw ImageException.badInput("two " + what + " jars are named " + j.getFileName()
            + " (the image places jars by file name): rename one");
      }
    }
    return jars.stream().sorted(Comparator.comparing(j -> j.getFileName().toString())).toList();
  }

  private static void checkJars(List<Path> jars, String what) throws ImageException {
    for (Path j : jars) {
      if (!Files.isRegularFile(j)) {
        throw ImageException.badInput(what + " jar " + j
            + (Files.isDirectory(j) ? " is a directory (give jars only)" : " does not exist"));
      }
      try (ZipFile z = new ZipFile(j.toFile())) {
        z.size();
      } catch (ZipException e) {
        throw ImageException.badInput(what + " jar " + j + " is not a jar (zip): "
            + e.getMessage());
      } catch (IOException e) {
        throw ImageException.badInput("cannot read " + what + " jar " + j + ": " + e.getMessage());
      }
    }
  }

  /** Refuses a main class that is in none of the jars (the session's command could not run). */
  static void findMainClass(List<Path> jars, String mainClass) throws ImageException {
    if (!mainClass.matches("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*")) {
      throw ImageException.badInput("'" + mainClass + "' is not a class name");
    }
    String entry = mainClass.replace('.', '/') + ".class";
    for (Path j : jars) {
      try (ZipFile z = new ZipFile(j.toFile())) {
        if (z.getEntry(entry) != null) {
          return;
        }
      } catch (IOException e) {
        throw ImageException.badInput("cannot read jar " + j + ": " + e.getMessage());
      }
    }
    throw ImageException.badInput("main class " + mainClass + " is in none of the application's"
        + " jars (" + entry + " not found)");
  }

  /** Copies {@code jars} into {@code dir} under their names; returns the copies in order. */
  private static List<Path> stage(List<Path> jars, Path dir) throws ImageException {
    List<Path> out = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      for (Path j : jars) {
        Path to = dir.resolve(j.getFileName().toString());
        Files.copy(j, to);
        out.add(to);
      }
    } catch (IOException e) {
      throw ImageException.failed("cannot stage the jars in " + dir + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** Creates {@code out} if absent (refusing a non-empty one); returns a fresh work directory. */
  private static Path prepareOutput(Path out) throws ImageException {
    try {
      if (Files.exists(out)) {
        if (!Files.isDirectory(out)) {
          throw ImageException.badInput("output " + out + " is not a directory");
        }
        try (Stream<Path> s = Files.list(out)) {
          if (s.findAny().isPresent()) {
            throw ImageException.badInput("output directory " + out + " is not empty");
          }
        }
      }
      Files.createDirectories(out);
      return Files.createTempDirectory(out, ".build");
    } catch (IOException e) {
      throw ImageException.failed("cannot create the output " + out + ": " + e.getMessage(), e);
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // Leftover build files: not a failure of the image, which is complete by now.
    }
  }
}
