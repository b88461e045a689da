package io.sconej.image;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Writes the staged files as an image with Jib core: from scratch (no base image is fetched),
 * offline, no daemon. Reproducible by construction: each layer's entries sorted by path (Jib),
 * every file's time {@link #FILE_TIME}, owner 0:0, mode 755 if executable here else 644, the
 * image's creation time the epoch, labels sorted.
 */
final class JibStep {
  /** The time of every file in the image (Jib's own default). */
  static final Instant FILE_TIME = Instant.ofEpochSecond(1);

  private final ImageSpec spec;
  private final Path jre;
  private final Map<String, Path> nativeLibraries;
  private final List<Path> runtimeJars;
  private final List<Path> appJars;
  private final String measurement;
  private final List<String> entrypoint;
  private final Path cache;
  private final Path emptyDirectory;

  JibStep(ImageSpec spec, Path jre, Map<String, Path> nativeLibraries, List<Path> runtimeJars,
      List<Path> appJars, String measurement, List<String> entrypoint, Path cache) {
    this.spec = spec;
    this.jre = jre;
    this.nativeLibraries = nativeLibraries;
    this.runtimeJars = runtimeJars;
    this.appJars = appJars;
    this.measurement = measurement;
    this.entrypoint = entrypoint;
    this.cache = cache;
    this.emptyDirectory = cache.resolveSibling("empty");
  }

  /** Writes the OCI image layout directory {@code dir} (via the OCI tar); returns its digest. */
  String ociLayout(Path tar, Path dir) throws ImageException {
    JibContainer c = containerize(ImageFormat.OCI, tar);
    extract(tar, dir);
    return c.getDigest().toString();
  }

  /** Writes the Docker-format tar ({@code docker load}); returns the image id. */
  String dockerTar(Path tar) throws ImageException {
    return containerize(ImageFormat.Docker, tar).getImageId().toString();
  }

  private JibContainer containerize(ImageFormat format, Path tar) throws ImageException {
    try {
      JibContainerBuilder b = Jib.fromScratch()
          .setFormat(format)
          .setCreationTime(Instant.EPOCH)
          .setFileEntriesLayers(layers())
          .setEntrypoint(entrypoint)
          .setLabels(new TreeMap<>(Map.of("io.sconej.measurement", measurement,
              "io.sconej.main-class", spec.mainClass())));
      Containerizer to = Containerizer.to(TarImage.at(tar).named(spec.name()))
          .setOfflineMode(true)
          .setToolName("sconej")
          .setBaseImageLayersCache(cache.resolve("base"))
          .setApplicationLayersCache(cache.resolve("application"));
      return b.containerize(to);
    } catch (InvalidImageReferenceException e) {
      throw ImageException.badInput("'" + spec.name() + "' is not an image name (like app:1)");
    } catch (IOException | RegistryException | CacheDirectoryCreationException
        | ExecutionException e) {
      throw ImageException.failed("cannot write the image " + tar + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ImageException.failed("interrupted", e);
    }
  }

  private List<FileEntriesLayer> layers() throws IOException {
    Files.createDirectories(emptyDirectory);
    FileEntriesLayer.Builder jreLayer = FileEntriesLayer.builder().setName("jre");
    try (Stream<Path> s = Files.walk(jre)) {
      for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
        add(jreLayer, p, ImageLayout.JRE + "/" + jre.relativize(p).toString());
      }
    }
    FileEntriesLayer.Builder libs = FileEntriesLayer.builder().setName("system");
    for (var e : nativeLibraries.entrySet()) {
      add(libs, e.getValue(), e.getKey());
    }
    // java.io.tmpdir at start (the java.io agent's scratch file); the session's tmp_dir is where
    // the application's temporary files go. Mode 777 (Jib cannot set the sticky bit): one user.
    libs.addEntry(emptyDirectory, AbsoluteUnixPath.get("/tmp"),
        FilePermissions.fromOctalString("777"), FILE_TIME);
    FileEntriesLayer.Builder rt = FileEntriesLayer.builder().setName("sconej-runtime");
    for (Path j : runtimeJars) {
      add(rt, j, ImageLayout.in(ImageLayout.RUNTIME, j));
    }
    FileEntriesLayer.Builder app = FileEntriesLayer.builder().setName("app");
    for (Path j : appJars) {
      add(app, j, ImageLayout.in(ImageLayout.APP, j));
    }
    return List.of(jreLayer.build(), libs.build(), rt.build(), app.build());
  }

  private static void add(FileEntriesLayer.Builder layer, Path file, String imagePath) {
    FilePermissions mode = FilePermissions.fromOctalString(Files.isExecutable(file) ? "755" : "644");
    layer.addEntry(file, AbsoluteUnixPath.get(imagePath), mode, FILE_TIME);
  }

  /** Unpacks Jib's OCI tar (an OCI image layout) into {@code dir}; the tar is then removed. */
  private static void extract(Path tar, Path dir) throws ImageException {
    try (InputStream in = Files.newInputStream(tar);
        TarArchiveInputStream t = new TarArchiveInputStream(in)) {
      Files.createDirectories(dir);
      TarArchiveEntry e;
      while ((e = t.getNextEntry()) != null) {
        Path to = dir.resolve(e.getName()).normalize();
        if (!to.startsWith(dir)) {
          throw ImageException.failed("the OCI tar has an entry outside it: " + e.getName(), null);
        }
        if (e.isDirectory()) {
          Files.createDirectories(to);
        } else {
          Files.createDirectories(to.getParent());
          Files.copy(t, to);
        }
      }
      Files.delete(tar);
    } catch (IOException e) {
      throw ImageException.failed("cannot write the OCI layout " + dir + ": " + e.getMessage(), e);
    }
  }
}
