package io.sconej.fileshield.nio;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The JVM's default file system while sconej is installed: the platform file system with every path
 * wrapped, so that file operations reach {@link SconejDefaultFileSystemProvider}. It cannot be
 * closed, like the platform's.
 */
final class ShieldedDefaultFileSystem extends FileSystem {
  private final SconejDefaultFileSystemProvider provider;
  private final FileSystem platform;

  ShieldedDefaultFileSystem(SconejDefaultFileSystemProvider provider, FileSystem platform) {
    this.provider = provider;
    this.platform = platform;
  }

  Path wrap(Path p) {
    return p == null ? null : new WrappedPath(this, p);
  }

  @Override
  public SconejDefaultFileSystemProvider provider() {
    return provider;
  }

  @Override
  public void close() {
    throw new UnsupportedOperationException("the default file system cannot be closed");
  }

  @Override
  public boolean isOpen() {
    return true;
  }

  @Override
  public boolean isReadOnly() {
    return false;
  }

  @Override
  public String getSeparator() {
    return platform.getSeparator();
  }

  @Override
  public Iterable<Path> getRootDirectories() {
    List<Path> roots = new ArrayList<>();
    for (Path p : platform.getRootDirectories()) {
      roots.add(wrap(p));
    }
    return roots;
  }

  /** The host's stores (regions' stores are reached through {@code Files.getFileStore}). */
  @Override
  public Iterable<FileStore> getFileStores() {
    return platform.getFileStores();
  }

  @Override
  public Set<String> supportedFileAttributeViews() {
    return platform.supportedFileAttributeViews();
  }

  @Override
  public Path getPath(String first, String... more) {
    return wrap(platform.getPath(first, more));
  }

  @Override
  public PathMatcher getPathMatcher(String syntaxAndPattern) {
    PathMatcher m = platform.getPathMatcher(syntaxAndPattern);
    return p -> m.matches(p instanceof WrappedPath w ? w.delegate() : p);
  }

  @Override
  public UserPrincipalLookupService getUserPrincipalLookupService() {
    return platform.getUserPrincipalLookupService();
  }

  /** The platform's watch service; registering a path inside a region is refused. */
  @Override
  public WatchService newWatchService() throws IOException {
    return platform.newWatchService();
  }
}
