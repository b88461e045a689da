package io.sconej.fileshield.nio;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;

/**
 * A path of the default file system while sconej is installed: a platform path, wrapped so that
 * every operation on it goes through {@link SconejDefaultFileSystemProvider}. Lexical operations
 * behave exactly like the platform's; {@link #toFile()} and {@link #toUri()} give ordinary {@code
 * file:} forms.
 */
final class WrappedPath implements Path {
  private final ShieldedDefaultFileSystem fs;
  private final Path delegate;

  WrappedPath(ShieldedDefaultFileSystem fs, Path delegate) {
    this.fs = fs;
    this.delegate = delegate;
  }

  Path delegate() {
    return delegate;
  }

  private Path wrap(Path p) {
    return fs.wrap(p);
  }

  private Path raw(Path other) {
    return fs.provider().unwrap(other);
  }

  @Override
  public ShieldedDefaultFileSystem getFileSystem() {
    return fs;
  }

  @Override
  public boolean isAbsolute() {
    return delegate.isAbsolute();
  }

  @Override
  public Path getRoot() {
    return wrap(delegate.getRoot());
  }

  @Override
  public Path getFileName() {
    return wrap(delegate.getFileName());
  }

  @Override
  public Path getParent() {
    return wrap(delegate.getParent());
  }

  @Override
  public int getNameCount() {
    return delegate.getNameCount();
  }

  @Override
  public Path getName(int index) {
    return wrap(delegate.getName(index));
  }

  @Override
  public Path subpath(int beginIndex, int endIndex) {
    return wrap(delegate.subpath(beginIndex, endIndex));
  }

  @Override
  public boolean startsWith(Path other) {
    return other instanceof WrappedPath w
        ? delegate.startsWith(w.delegate)
        : delegate.startsWith(other);
  }

  @Override
  public boolean endsWith(Path other) {
    return other instanceof WrappedPath w
        ? delegate.endsWith(w.delegate)
        : delegate.endsWith(other);
  }

  @Override
  public Path normalize() {
    return wrap(delegate.normalize());
  }

  @Override
  public Path resolve(Path other) {
    return wrap(delegate.resolve(raw(other)));
  }

  @Override
  public Path relativize(Path other) {
    return wrap(delegate.relativize(raw(other)));
  }

  @Override
  public URI toUri() {
    return delegate.toUri();
  }

  @Override
  public Path toAbsolutePath() {
    return wrap(delegate.toAbsolutePath());
  }

  /** Inside a region: the normalised absolute path if it exists; elsewhere the platform's. */
  @Override
  public Path toRealPath(LinkOption... options) throws IOException {
    return fs.provider().toRealPath(this, options);
  }

  @Override
  public File toFile() {
    return new File(delegate.toString());
  }

  /** Refused inside regions; passed to the platform elsewhere. */
  @Override
  public WatchKey register(
      WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers)
      throws IOException {
    fs.provider().checkWatchable(this);
    return delegate.register(watcher, events, modifiers);
  }

  @Override
  public int compareTo(Path other) {
    return delegate.compareTo(raw(other));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WrappedPath w && w.delegate.equals(delegate);
  }

  @Override
  public int hashCode() {
    return delegate.hashCode();
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
