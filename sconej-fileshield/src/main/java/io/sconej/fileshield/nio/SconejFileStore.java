package io.sconej.fileshield.nio;

import io.sconej.hostcalls.PlatformProvider;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileStoreAttributeView;

/**
 * The store of a sconej volume: named after the volume's host directory, of type {@code
 * sconej-encrypted} or {@code sconej-authenticated}; space figures are the host store's (an upper
 * bound: ciphertext and metadata take a little more than the plaintext).
 */
final class SconejFileStore extends FileStore {
  private final SconejFileSystem fs;

  SconejFileStore(SconejFileSystem fs) {
    this.fs = fs;
  }

  private FileStore host() throws IOException {
    return PlatformProvider.get().getFileStore(Hosts.platformPath(fs.volumeDirectory()));
  }

  @Override
  public String name() {
    return fs.volumeDirectory().toString();
  }

  @Override
  public String type() {
    return "sconej-" + fs.volume().mode().name().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public boolean isReadOnly() {
    return fs.isReadOnly();
  }

  @Override
  public long getTotalSpace() throws IOException {
    return host().getTotalSpace();
  }

  @Override
  public long getUsableSpace() throws IOException {
    return host().getUsableSpace();
  }

  @Override
  public long getUnallocatedSpace() throws IOException {
    return host().getUnallocatedSpace();
  }

  @Override
  public boolean supportsFileAttributeView(Class<? extends FileAttributeView> type) {
    return type == BasicFileAttributeView.class;
  }

  @Override
  public boolean supportsFileAttributeView(String name) {
    return name.equals("basic");
  }

  @Override
  public <V extends FileStoreAttributeView> V getFileStoreAttributeView(Class<V> type) {
    return null;
  }

  @Override
  public Object getAttribute(String attribute) {
    throw new UnsupportedOperationException("no file store attribute '" + attribute + "'");
  }
}
