package io.sconej.fileshield.nio;

import io.sconej.fileshield.VolumeTag;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The region table of the JVM's default file system when {@link SconejDefaultFileSystemProvider} is
 * installed.
 *
 * <p>Two ways to configure it: the runtime calls {@link #install(RegionsConfig)} before the
 * application's {@code main} (keys stay in memory), or the system property {@value
 * #CONFIG_PROPERTY} names a regions file ({@link RegionsConfig#load}) read at the first file
 * operation that needs the table. Volumes are mounted at their region's first use; a shutdown hook
 * commits and closes them all, then closes what was registered with {@link
 * #closeAtExitAfterVolumes} (the host calls the volumes use).
 *
 * <p>Fails closed: if the regions file cannot be read or is invalid, every routed file operation
 * fails with an {@link IOException} naming the problem, rather than passing through.
 */
public final class Regions {
  /** System property naming a regions file. */
  public static final String CONFIG_PROPERTY = "sconej.fs.regions";

  private static final SconejFileSystemProvider VOLUMES = new SconejFileSystemProvider();
  private static volatile Table table;
  private static IOException loadFailure;
  private static boolean hookInstalled;
  private static final List<AutoCloseable> closeAfterVolumes = new ArrayList<>();

  private Regions() {}

  /** Routing state: regions sorted longest prefix first. */
  record Table(List<MountedRegion> regions, RegionsConfig.DefaultAction defaultAction) {
    Optional<MountedRegion> match(Path absoluteNormalized) {
      for (MountedRegion r : regions) {
        if (absoluteNormalized.startsWith(r.config().prefix())) {
          return Optional.of(r);
        }
      }
      return Optional.empty();
    }
  }

  private static Table tableOf(RegionsConfig config) {
    List<MountedRegion> list = new ArrayList<>();
    for (RegionConfig r : config.regions()) {
      list.add(new MountedRegion(r, VOLUMES));
    }
    list.sort(
        Comparator.comparingInt((MountedRegion r) -> r.config().prefix().getNameCount())
            .reversed());
    return new Table(List.copyOf(list), config.defaultAction());
  }

  /**
   * Installs the region table. Refused ({@link IllegalStateException}) when sconej is not the JVM's
   * default provider (the regions would silently do nothing) and when a table is already in force.
   */
  public static synchronized void install(RegionsConfig config) {
    if (!(FileSystems.getDefault().provider() instanceof SconejDefaultFileSystemProvider)) {
      throw new IllegalStateException(
          "sconej is not the default file system provider: start the JVM with"
              + " -Djava.nio.file.spi.DefaultFileSystemProvider="
              + SconejDefaultFileSystemProvider.class.getName());
    }
    if (table != null || loadFailure != null) {
      throw new IllegalStateException("sconej regions are already configured");
    }
    table = tableOf(config);
  }

  /** The table in force; loads the regions file named by the property at first need. */
  static Table table() throws IOException {
    Table t = table;
    if (t != null) {
      return t;
    }
    synchronized (Regions.class) {
      if (table != null) {
        return table;
      }
      if (loadFailure != null) {
        throw new IOException(loadFailure.getMessage(), loadFailure);
      }
      String file = System.getProperty(CONFIG_PROPERTY);
      if (file == null) {
        return new Table(List.of(), RegionsConfig.DefaultAction.UNPROTECTED); // not yet installed
      }
      try {
        table = tableOf(RegionsConfig.load(Hosts.platformPath(file)));
      } catch (IOException | RuntimeException e) {
        loadFailure =
            new IOException("sconej regions from " + file + " unusable: " + e.getMessage(), e);
        throw loadFailure;
      }
      return table;
    }
  }

  static synchronized void mounted() {
    installHook();
  }

  /**
   * Closes {@code resource} at JVM exit, in the same shutdown hook that commits and closes the
   * volumes and only after it did (whether or not that succeeded). For the host calls the volumes
   * use: shutdown hooks run concurrently, so closing asynchronous host calls in a hook of their
   * own could stop the sthreads in the middle of the final commit. Resources are closed in the
   * reverse order of registration; a failure is reported on stderr and does not stop the others.
   */
  public static synchronized void closeAtExitAfterVolumes(AutoCloseable resource) {
    closeAfterVolumes.add(java.util.Objects.requireNonNull(resource, "resource"));
    installHook();
  }

  private static void installHook() {
    if (!hookInstalled) {
      hookInstalled = true;
      Runtime.getRuntime()
          .addShutdownHook(new Thread(Regions::closeAllAtExit, "sconej-regions-close"));
    }
  }

  /**
   * Mounts every volume region now instead of at first use, so that a wrong key, a tampered
   * manifest or an unexpected tag is found before the application runs. An integrity or
   * freshness violation, and a volume in use by another writer, are rethrown as themselves.
   */
  public static void mountAll() throws IOException {
    for (MountedRegion r : table().regions()) {
      if (r.config().options().isPresent()) {
        try {
          r.fileSystem();
        } catch (IOException e) {
          if (e.getCause() instanceof io.sconej.fileshield.IntegrityViolationException v) {
            throw v;
          }
          if (e.getCause() instanceof io.sconej.fileshield.VolumeInUseException u) {
            throw u;
          }
          throw e;
        }
      }
    }
  }

  /** Commits every mounted volume; returns the new tag of each, keyed by region prefix. */
  public static Map<String, VolumeTag> syncAll() throws IOException {
    Map<String, VolumeTag> tags = new LinkedHashMap<>();
    Table t = table;
    if (t == null) {
      return tags;
    }
    for (MountedRegion r : t.regions()) {
      Optional<SconejFileSystem> fs = r.ifMounted();
      if (fs.isPresent()) {
        tags.put(r.config().prefix().toString(), fs.get().sync());
      }
    }
    return tags;
  }

  /** Commits and closes every mounted volume; later accesses to their regions fail. */
  public static void closeAll() throws IOException {
    Table t = table;
    if (t == null) {
      return;
    }
    IOException first = null;
    for (MountedRegion r : t.regions()) {
      Optional<SconejFileSystem> fs = r.ifMounted();
      if (fs.isPresent()) {
        try {
          fs.get().close();
        } catch (IOException e) {
          if (first == null) {
            first = e;
          } else {
            first.addSuppressed(e);
          }
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private static void closeAllAtExit() {
    try {
      closeAll();
    } catch (IOException e) {
      System.err.println("sconej: committing volumes at exit failed: " + e.getMessage());
    }
    List<AutoCloseable> after;
    synchronized (Regions.class) {
      after = new ArrayList<>(closeAfterVolumes);
    }
    for (int i = after.size() - 1; i >= 0; i--) {
      try {
        after.get(i).close();
      } catch (Exception e) {
        System.err.println("sconej: closing " + after.get(i) + " at exit failed: " + e);
      }
    }
  }
}
