package io.sconej.fileshield.nio;

import io.sconej.hostcalls.PlatformProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.NotLinkException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * The JVM's default file system provider with sconej file system regions: install by setting the
 * system property {@code java.nio.file.spi.DefaultFileSystemProvider} to this class's name (the
 * class must be on the class path). Paths under a region prefix (longest match wins, see
 * {@link Regions}) are served by the region's volume; every other path goes to the platform
 * provider unchanged, or is refused if the table's default action is {@code REFUSE}.
 *
 * <p>Covers everything that goes through {@code java.nio.file}: {@code Files}, {@code
 * FileChannel.open}, {@code Path.of}, {@code File.toPath()}. Does not cover {@code java.io} streams
 * and {@code RandomAccessFile}, which bypass file system providers.
 *
 * <p>Routing is lexical on the absolute normalised path: host symbolic links are not followed into
 * or out of regions. Inside regions: no links, no watch service, no asynchronous channels, only the
 * "basic" attribute view, and memory mapping as in {@link ShieldedFileChannel}.
 */
public final class SconejDefaultFileSystemProvider extends FileSystemProvider {
  private final FileSystemProvider platform;
  private final FileSystem platformFs;
  private final ShieldedDefaultFileSystem fs;

  /**
   * Called by the JDK with its platform provider. Must not touch {@code FileSystems.getDefault()}
   * (which is not yet set); regions are read later, at the first operation that needs them.
   */
  public SconejDefaultFileSystemProvider(FileSystemProvider platform) {
    this.platform = platform;
    PlatformProvider.set(platform);
    this.platformFs = platform.getFileSystem(URI.create("file:///"));
    this.fs = new ShieldedDefaultFileSystem(this, platformFs);
  }

  /** Where an operation on a path goes: the platform, or a volume path of a region. */
  private record Route(Path raw, SconejPath inner) {
    boolean shielded() {
      return inner != null;
    }
  }

  Path unwrap(Path p) {
    if (p instanceof WrappedPath w) {
      return w.delegate();
    }
    if (p.getFileSystem() == platformFs) {
      return p;
    }
    throw new ProviderMismatchException("not a path of the default file system: " + p);
  }

  private Route route(Path p) throws IOException {
    Path raw = unwrap(p);
    Regions.Table table = Regions.table();
    if (table.regions().isEmpty()
        && table.defaultAction() == RegionsConfig.DefaultAction.UNPROTECTED) {
      return new Route(raw, null);
    }
    Path abs = raw.toAbsolutePath().normalize();
    var region = table.match(abs);
    if (region.isEmpty()) {
      if (table.defaultAction() == RegionsConfig.DefaultAction.REFUSE) {
        throw new AccessDeniedException(
            raw.toString(), null, "outside every sconej region (the default is refuse)");
      }
      return new Route(raw, null);
    }
    RegionConfig config = region.get().config();
    if (config.kind() == RegionKind.UNPROTECTED) {
      return new Route(raw, null);
    }
    SconejFileSystem volumeFs = region.get().fileSystem();
    return new Route(raw, volumeFs.getPath("/" + config.prefix().relativize(abs)));
  }

  private interface Op<T> {
    T run() throws IOException;
  }

  /** Runs a region operation, re-issuing file system exceptions with the caller's paths. */
  private static <T> T shielded(Path shown, Path other, Op<T> op) throws IOException {
    try {
      return op.run();
    } catch (FileSystemException e) {
      throw Errors.withFile(e, shown.toString(), other == null ? null : other.toString());
    }
  }

  private static VolumeOps ops(Route r) {
    return r.inner().getFileSystem().ops();
  }

  private static SconejFileSystemProvider volumes(Route r) {
    return r.inner().getFileSystem().provider();
  }

  @Override
  public String getScheme() {
    return "file";
  }

  @Override
  public FileSystem newFileSystem(URI uri, Map<String, ?> env) throws IOException {
    return platform.newFileSystem(uri, env);
  }

  @Override
  public FileSystem newFileSystem(Path path, Map<String, ?> env) throws IOException {
    return platform.newFileSystem(unwrap(path), env);
  }

  @Override
  public FileSystem getFileSystem(URI uri) {
    platform.getFileSystem(uri);
    return fs;
  }

  @Override
  public Path getPath(URI uri) {
    return fs.wrap(platform.getPath(uri));
  }

  @Override
  public FileChannel newFileChannel(
      Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
    Route r = route(path);
    if (!r.shielded()) {
      return platform.newFileChannel(r.raw(), options, attrs);
    }
    return shielded(path, null, () -> ops(r).newFileChannel(r.inner(), options, attrs));
  }

  @Override
  public SeekableByteChannel newByteChannel(
      Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
    Route r = route(path);
    if (!r.shielded()) {
      return platform.newByteChannel(r.raw(), options, attrs);
    }
    return shielded(path, null, () -> ops(r).newFileChannel(r.inner(), options, attrs));
  }

  @Override
  public InputStream newInputStream(Path path, OpenOption... options) throws IOException {
    Route r = route(path);
    return r.shielded()
        ? super.newInputStream(path, options)
        : platform.newInputStream(r.raw(), options);
  }

  @Override
  public OutputStream newOutputStream(Path path, OpenOption... options) throws IOException {
    Route r = route(path);
    return r.shielded()
        ? super.newOutputStream(path, options)
        : platform.newOutputStream(r.raw(), options);
  }

  /** Refused inside regions. */
  @Override
  public AsynchronousFileChannel newAsynchronousFileChannel(
      Path path,
      Set<? extends OpenOption> options,
      ExecutorService executor,
      FileAttribute<?>... attrs)
      throws IOException {
    Route r = route(path);
    if (r.shielded()) {
      throw new UnsupportedOperationException(
          "asynchronous channels are not supported inside sconej regions: " + path);
    }
    return platform.newAsynchronousFileChannel(r.raw(), options, executor, attrs);
  }

  @Override
  public DirectoryStream<Path> newDirectoryStream(
      Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
    Route r = route(dir);
    Path shownDir = fs.wrap(r.raw());
    if (!r.shielded()) {
      DirectoryStream<Path> s =
          platform.newDirectoryStream(r.raw(), p -> filter.accept(fs.wrap(p)));
      return new DirectoryStream<>() {
        @Override
        public Iterator<Path> iterator() {
          Iterator<Path> it = s.iterator();
          return new Iterator<>() {
            @Override
            public boolean hasNext() {
              return it.hasNext();
            }

            @Override
            public Path next() {
              return fs.wrap(it.next());
            }
          };
        }

        @Override
        public void close() throws IOException {
          s.close();
        }
      };
    }
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> s =
        shielded(dir, null, () -> ops(r).newDirectoryStream(r.inner(), p -> true))) {
      for (Path e : s) {
        Path shown = shownDir.resolve(e.getFileName().toString());
        if (filter.accept(shown)) {
          entries.add(shown);
        }
      }
    }
    return new DirectoryStream<>() {
      @Override
      public Iterator<Path> iterator() {
        return entries.iterator();
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
    Route r = route(dir);
    if (!r.shielded()) {
      platform.createDirectory(r.raw(), attrs);
      return;
    }
    shielded(
        dir,
        null,
        () -> {
          ops(r).createDirectory(r.inner(), attrs);
          return null;
        });
  }

  /** Refused inside regions (volumes hold no links). */
  @Override
  public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs)
      throws IOException {
    Route r = route(link);
    if (r.shielded()) {
      throw new UnsupportedOperationException("no symbolic links inside sconej regions: " + link);
    }
    platform.createSymbolicLink(r.raw(), unwrap(target), attrs);
  }

  @Override
  public void createLink(Path link, Path existing) throws IOException {
    Route r = route(link);
    Route e = route(existing);
    if (r.shielded() || e.shielded()) {
      throw new UnsupportedOperationException("no hard links inside sconej regions: " + link);
    }
    platform.createLink(r.raw(), e.raw());
  }

  @Override
  public Path readSymbolicLink(Path link) throws IOException {
    Route r = route(link);
    if (r.shielded()) {
      throw new NotLinkException(link.toString());
    }
    return fs.wrap(platform.readSymbolicLink(r.raw()));
  }

  @Override
  public void delete(Path path) throws IOException {
    Route r = route(path);
    if (!r.shielded()) {
      platform.delete(r.raw());
      return;
    }
    shielded(
        path,
        null,
        () -> {
          ops(r).delete(r.inner());
          return null;
        });
  }

  @Override
  public void copy(Path source, Path target, CopyOption... options) throws IOException {
    transfer(source, target, false, options);
  }

  @Override
  public void move(Path source, Path target, CopyOption... options) throws IOException {
    transfer(source, target, true, options);
  }

  private void transfer(Path source, Path target, boolean move, CopyOption... options)
      throws IOException {
    Route s = route(source);
    Route t = route(target);
    if (!s.shielded() && !t.shielded()) {
      if (move) {
        platform.move(s.raw(), t.raw(), options);
      } else {
        platform.copy(s.raw(), t.raw(), options);
      }
    } else if (s.shielded()
        && t.shielded()
        && s.inner().getFileSystem() == t.inner().getFileSystem()) {
      shielded(
          source,
          target,
          () -> {
            if (move) {
              ops(s).move(s.inner(), t.inner(), options);
            } else {
              ops(s).copy(s.inner(), t.inner(), options);
            }
            return null;
          });
    } else {
      CrossCopy.copy(fs.wrap(s.raw()), fs.wrap(t.raw()), move, options);
    }
  }

  @Override
  public boolean isSameFile(Path path, Path path2) throws IOException {
    Route a = route(path);
    Route b = route(path2);
    if (!a.shielded() && !b.shielded()) {
      return platform.isSameFile(a.raw(), b.raw());
    }
    return a.shielded()
        && b.shielded()
        && a.inner().getFileSystem() == b.inner().getFileSystem()
        && a.inner().volumePath().equals(b.inner().volumePath());
  }

  @Override
  public boolean isHidden(Path path) throws IOException {
    Route r = route(path);
    return r.shielded() ? volumes(r).isHidden(r.inner()) : platform.isHidden(r.raw());
  }

  @Override
  public FileStore getFileStore(Path path) throws IOException {
    Route r = route(path);
    return r.shielded() ? volumes(r).getFileStore(r.inner()) : platform.getFileStore(r.raw());
  }

  @Override
  public void checkAccess(Path path, AccessMode... modes) throws IOException {
    Route r = route(path);
    if (!r.shielded()) {
      platform.checkAccess(r.raw(), modes);
      return;
    }
    shielded(
        path,
        null,
        () -> {
          ops(r).checkAccess(r.inner(), modes);
          return null;
        });
  }

  /** As the platform's outside regions; inside, the basic view only ({@code null} otherwise). */
  @Override
  public <V extends FileAttributeView> V getFileAttributeView(
      Path path, Class<V> type, LinkOption... options) {
    Route r;
    try {
      r = route(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return r.shielded()
        ? volumes(r).getFileAttributeView(r.inner(), type, options)
        : platform.getFileAttributeView(r.raw(), type, options);
  }

  @Override
  public <A extends BasicFileAttributes> A readAttributes(
      Path path, Class<A> type, LinkOption... options) throws IOException {
    Route r = route(path);
    if (!r.shielded()) {
      return platform.readAttributes(r.raw(), type, options);
    }
    return shielded(path, null, () -> volumes(r).readAttributes(r.inner(), type, options));
  }

  @Override
  public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
      throws IOException {
    Route r = route(path);
    if (!r.shielded()) {
      return platform.readAttributes(r.raw(), attributes, options);
    }
    return shielded(path, null, () -> volumes(r).readAttributes(r.inner(), attributes, options));
  }

  @Override
  public void setAttribute(Path path, String attribute, Object value, LinkOption... options)
      throws IOException {
    Route r = route(path);
    if (!r.shielded()) {
      platform.setAttribute(r.raw(), attribute, value, options);
      return;
    }
    shielded(
        path,
        null,
        () -> {
          volumes(r).setAttribute(r.inner(), attribute, value, options);
          return null;
        });
  }

  Path toRealPath(WrappedPath path, LinkOption... options) throws IOException {
    Route r = route(path);
    if (!r.shielded()) {
      return fs.wrap(r.raw().toRealPath(options));
    }
    shielded(path, null, () -> r.inner().toRealPath());
    return fs.wrap(r.raw().toAbsolutePath().normalize());
  }

  void checkWatchable(WrappedPath path) throws IOException {
    if (route(path).shielded()) {
      throw new UnsupportedOperationException("watching sconej regions is not supported: " + path);
    }
  }
}
