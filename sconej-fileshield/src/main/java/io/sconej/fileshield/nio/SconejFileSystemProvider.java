package io.sconej.fileshield.nio;

import io.sconej.fileshield.Volume;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.spi.FileSystemProvider;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code sconej:} file system provider: each file system is one sconej volume, opened with
 * {@code FileSystems.newFileSystem(URI.create("sconej:" + volumeDir), env)} (env keys in {@link
 * VolumeOptions}). Paths of such a file system have URIs {@code sconej:<volumeDir>!<path>}.
 *
 * <p>Guarantees: at most one open file system per volume directory in this provider ({@link
 * FileSystemAlreadyExistsException} otherwise); closing it commits and releases the volume.
 *
 * <p>Refuses: symbolic and hard links, attribute views other than "basic", memory mapping except
 * the arena copies of {@link ShieldedFileChannel}, and paths of other providers.
 */
public final class SconejFileSystemProvider extends FileSystemProvider {
  /** The URI scheme. */
  public static final String SCHEME = "sconej";

  private final Map<String, SconejFileSystem> fileSystems = new ConcurrentHashMap<>();

  /** Used by {@link java.util.ServiceLoader}; applications use {@code FileSystems}. */
  public SconejFileSystemProvider() {}

  @Override
  public String getScheme() {
    return SCHEME;
  }

  private static String volumeDir(URI uri) {
    if (!SCHEME.equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("not a sconej URI: " + uri);
    }
    String ssp = uri.getSchemeSpecificPart();
    int bang = ssp.indexOf("!/");
    String dir = bang >= 0 ? ssp.substring(0, bang) : ssp;
    if (dir.isEmpty()) {
      throw new IllegalArgumentException("sconej URI names no volume directory: " + uri);
    }
    return Hosts.platformPath(dir).toAbsolutePath().normalize().toString();
  }

  /** Opens (or with {@code create=true} creates) the volume named by {@code uri}. */
  @Override
  public SconejFileSystem newFileSystem(URI uri, Map<String, ?> env) throws IOException {
    String dir = volumeDir(uri);
    VolumeOptions options = VolumeOptions.parse(env);
    synchronized (fileSystems) {
      if (fileSystems.containsKey(dir)) {
        throw new FileSystemAlreadyExistsException(dir);
      }
      SconejFileSystem fs = mount(options.openOrCreate(Hosts.platformPath(dir)), options, dir);
      fileSystems.put(dir, fs);
      return fs;
    }
  }

  /** A file system over an already opened volume, not registered under any URI. */
  SconejFileSystem mount(Volume volume, VolumeOptions options, String registeredAs) {
    return new SconejFileSystem(
        this, volume, options.readOnly(), () -> fileSystems.remove(registeredAs));
  }

  @Override
  public FileSystem getFileSystem(URI uri) {
    SconejFileSystem fs = fileSystems.get(volumeDir(uri));
    if (fs == null) {
      throw new FileSystemNotFoundException("no open sconej file system for " + uri);
    }
    return fs;
  }

  @Override
  public Path getPath(URI uri) {
    SconejFileSystem fs = (SconejFileSystem) getFileSystem(uri);
    String ssp = uri.getSchemeSpecificPart();
    int bang = ssp.indexOf("!/");
    return fs.getPath(bang >= 0 ? ssp.substring(bang + 1) : "/");
  }

  static SconejPath sconej(Path p) {
    if (p instanceof SconejPath s) {
      return s;
    }
    throw new ProviderMismatchException("not a sconej path: " + p);
  }

  @Override
  public FileChannel newFileChannel(
      Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
    SconejPath p = sconej(path);
    return p.getFileSystem().ops().newFileChannel(p, options, attrs);
  }

  @Override
  public SeekableByteChannel newByteChannel(
      Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
    return newFileChannel(path, options, attrs);
  }

  @Override
  public DirectoryStream<Path> newDirectoryStream(
      Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
    SconejPath p = sconej(dir);
    return p.getFileSystem().ops().newDirectoryStream(p, filter);
  }

  @Override
  public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
    SconejPath p = sconej(dir);
    p.getFileSystem().ops().createDirectory(p, attrs);
  }

  @Override
  public void delete(Path path) throws IOException {
    SconejPath p = sconej(path);
    p.getFileSystem().ops().delete(p);
  }

  @Override
  public void copy(Path source, Path target, CopyOption... options) throws IOException {
    SconejPath s = sconej(source);
    SconejPath t = sconej(target);
    if (s.getFileSystem() != t.getFileSystem()) {
      CrossCopy.copy(s, t, false, options);
      return;
    }
    s.getFileSystem().ops().copy(s, t, options);
  }

  @Override
  public void move(Path source, Path target, CopyOption... options) throws IOException {
    SconejPath s = sconej(source);
    SconejPath t = sconej(target);
    if (s.getFileSystem() != t.getFileSystem()) {
      CrossCopy.copy(s, t, true, options);
      return;
    }
    s.getFileSystem().ops().move(s, t, options);
  }

  @Override
  public boolean isSameFile(Path path, Path path2) {
    if (!(path2 instanceof SconejPath b) || b.getFileSystem() != sconej(path).getFileSystem()) {
      return false;
    }
    return sconej(path).volumePath().equals(b.volumePath());
  }

  /** Names starting with '.' are hidden, as on Unix. */
  @Override
  public boolean isHidden(Path path) {
    Path name = sconej(path).getFileName();
    return name != null && name.toString().startsWith(".");
  }

  @Override
  public FileStore getFileStore(Path path) {
    return new SconejFileStore(sconej(path).getFileSystem());
  }

  @Override
  public void checkAccess(Path path, AccessMode... modes) throws IOException {
    SconejPath p = sconej(path);
    p.getFileSystem().ops().checkAccess(p, modes);
  }

  /** A {@link BasicFileAttributeView}; {@code null} for every other view type. */
  @Override
  public <V extends FileAttributeView> V getFileAttributeView(
      Path path, Class<V> type, LinkOption... options) {
    SconejPath p = sconej(path);
    if (type != BasicFileAttributeView.class) {
      return null;
    }
    return type.cast(new BasicView(p));
  }

  /** {@link BasicFileAttributes} only; other types are refused. */
  @Override
  public <A extends BasicFileAttributes> A readAttributes(
      Path path, Class<A> type, LinkOption... options) throws IOException {
    if (type != BasicFileAttributes.class) {
      throw new UnsupportedOperationException(
          type.getSimpleName() + " are not available on sconej volumes (only BasicFileAttributes)");
    }
    SconejPath p = sconej(path);
    return type.cast(new Attributes(p.getFileSystem().ops().attributes(p)));
  }

  @Override
  public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
      throws IOException {
    SconejPath p = sconej(path);
    return new Attributes(p.getFileSystem().ops().attributes(p)).toMap(attributes);
  }

  /**
   * Sets {@code [basic:]lastModifiedTime}; {@code lastAccessTime} and {@code creationTime} are
   * accepted and ignored (volumes do not keep them settable); everything else is refused.
   */
  @Override
  public void setAttribute(Path path, String attribute, Object value, LinkOption... options)
      throws IOException {
    SconejPath p = sconej(path);
    String name = attribute.startsWith("basic:") ? attribute.substring(6) : attribute;
    switch (name) {
      case "lastModifiedTime" -> p.getFileSystem().ops().setLastModifiedTime(p, (FileTime) value);
      case "lastAccessTime", "creationTime" -> p.getFileSystem().ops().attributes(p);
      default ->
          throw new UnsupportedOperationException(
              "attribute '" + attribute + "' cannot be set on sconej volumes");
    }
  }

  /** The basic view of a volume path. */
  private static final class BasicView implements BasicFileAttributeView {
    private final SconejPath path;

    BasicView(SconejPath path) {
      this.path = path;
    }

    @Override
    public String name() {
      return "basic";
    }

    @Override
    public BasicFileAttributes readAttributes() throws IOException {
      return new Attributes(path.getFileSystem().ops().attributes(path));
    }

    /** Sets the modification time; the other two are ignored. */
    @Override
    public void setTimes(FileTime lastModified, FileTime lastAccess, FileTime create)
        throws IOException {
      if (lastModified != null) {
        path.getFileSystem().ops().setLastModifiedTime(path, lastModified);
      }
    }
  }
}
