package io.sconej.fileshield.nio;

import io.sconej.fileshield.NodeAttributes;
import io.sconej.fileshield.Volume;
import io.sconej.fileshield.VolumeFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** The file operations of one {@link SconejFileSystem}, on paths of that file system. */
final class VolumeOps {
  private static final int COPY_BUFFER_BYTES = 64 * 1024;
  private final SconejFileSystem fs;

  VolumeOps(SconejFileSystem fs) {
    this.fs = fs;
  }

  private Volume volume() {
    fs.ensureOpen();
    return fs.volume();
  }

  private void checkWritable() {
    if (fs.isReadOnly()) {
      throw new ReadOnlyFileSystemException();
    }
  }

  NodeAttributes attributes(SconejPath p) throws IOException {
    return fs.stat(p).orElseThrow(() -> new NoSuchFileException(p.toString()));
  }

  FileChannel newFileChannel(SconejPath p, Set<? extends OpenOption> options, FileAttribute<?>... a)
      throws IOException {
    Attributes.checkCreationAttributes(a);
    Set<OpenOption> volumeOptions = new HashSet<>();
    boolean read = false;
    boolean write = false;
    boolean append = false;
    boolean deleteOnClose = false;
    for (OpenOption o : options) {
      if (o == StandardOpenOption.READ) {
        read = true;
      } else if (o == StandardOpenOption.WRITE) {
        write = true;
      } else if (o == StandardOpenOption.APPEND) {
        append = true;
        write = true;
      } else if (o == StandardOpenOption.DELETE_ON_CLOSE) {
        deleteOnClose = true;
        continue;
      } else if (o == StandardOpenOption.SPARSE || o == LinkOption.NOFOLLOW_LINKS) {
        continue; // volumes are always sparse and hold no links
      } else if (!(o instanceof StandardOpenOption)) {
        throw new UnsupportedOperationException("unsupported open option " + o);
      }
      volumeOptions.add(o);
    }
    if (!read && !write) {
      read = true;
      volumeOptions.add(StandardOpenOption.READ);
    }
    if (append && (read || options.contains(StandardOpenOption.TRUNCATE_EXISTING))) {
      throw new IllegalArgumentException(
          "APPEND cannot be combined with READ or TRUNCATE_EXISTING");
    }
    if (!write) {
      volumeOptions.removeAll(
          Set.of(
              StandardOpenOption.CREATE,
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.TRUNCATE_EXISTING));
    } else {
      checkWritable();
    }
    String vp = p.volumePath();
    var existing = volume().stat(vp);
    if (existing.isPresent() && existing.get().directory()) {
      if (write) {
        throw new FileSystemException(p.toString(), null, "Is a directory");
      }
      return new DirectoryChannel(fs, p.toString());
    }
    VolumeFile file;
    try {
      file = volume().open(vp, volumeOptions);
    } catch (FileSystemException e) {
      throw Errors.withFile(e, p.toString(), null);
    }
    Runnable onClose = deleteOnClose ? () -> deleteQuietly(vp) : () -> {};
    return new ShieldedFileChannel(fs, file, p.toString(), read, write, append, onClose);
  }

  private void deleteQuietly(String vp) {
    try {
      fs.volume().delete(vp);
    } catch (IOException e) {
      // DELETE_ON_CLOSE is best effort, as on the platform; the file may already be gone.
    }
  }

  DirectoryStream<Path> newDirectoryStream(SconejPath dir, DirectoryStream.Filter<? super Path> f)
      throws IOException {
    if (!attributes(dir).directory()) {
      throw new NotDirectoryException(dir.toString());
    }
    List<Path> entries = new ArrayList<>();
    for (String name : volume().list(dir.volumePath())) {
      Path child = dir.resolve(name);
      if (f.accept(child)) {
        entries.add(child);
      }
    }
    return new ListDirectoryStream(entries);
  }

  void createDirectory(SconejPath dir, FileAttribute<?>... a) throws IOException {
    Attributes.checkCreationAttributes(a);
    checkWritable();
    String vp = dir.volumePath();
    if (vp.isEmpty()) {
      throw new FileAlreadyExistsException(dir.toString());
    }
    try {
      volume().createDirectory(vp);
    } catch (FileSystemException e) {
      throw Errors.withFile(e, dir.toString(), null);
    }
  }

  void delete(SconejPath p) throws IOException {
    checkWritable();
    String vp = p.volumePath();
    if (vp.isEmpty()) {
      throw new FileSystemException(p.toString(), null, "cannot delete the root directory");
    }
    try {
      volume().delete(vp);
    } catch (FileSystemException e) {
      throw Errors.withFile(e, p.toString(), null);
    }
  }

  void copy(SconejPath src, SconejPath dst, CopyOption... options) throws IOException {
    checkWritable();
    boolean replace = false;
    boolean copyAttributes = false;
    for (CopyOption o : options) {
      if (o == StandardCopyOption.REPLACE_EXISTING) {
        replace = true;
      } else if (o == StandardCopyOption.COPY_ATTRIBUTES) {
        copyAttributes = true;
      } else if (o == StandardCopyOption.ATOMIC_MOVE) {
        throw new UnsupportedOperationException("ATOMIC_MOVE is not a copy option");
      } else if (o != LinkOption.NOFOLLOW_LINKS) {
        throw new UnsupportedOperationException("unsupported copy option " + o);
      }
    }
    NodeAttributes from = attributes(src);
    String s = src.volumePath();
    String d = dst.volumePath();
    if (s.equals(d)) {
      return;
    }
    if (fs.stat(dst).isPresent()) {
      if (!replace) {
        throw new FileAlreadyExistsException(dst.toString());
      }
      delete(dst);
    }
    if (from.directory()) {
      createDirectory(dst);
    } else {
      copyContents(s, d);
    }
    if (copyAttributes) {
      volume().setLastModifiedTime(d, from.lastModifiedMillis());
    }
  }

  private void copyContents(String s, String d) throws IOException {
    try (VolumeFile in = volume().open(s, Set.of(StandardOpenOption.READ));
        VolumeFile out =
            volume().open(d, Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW))) {
      ByteBuffer buf = ByteBuffer.allocate(COPY_BUFFER_BYTES);
      long pos = 0;
      int n;
      while ((n = in.read(buf.clear(), pos)) > 0) {
        out.write(buf.flip(), pos);
        pos += n;
      }
    }
  }

  /** Renames within the volume; {@code ATOMIC_MOVE} replaces an existing target like POSIX. */
  void move(SconejPath src, SconejPath dst, CopyOption... options) throws IOException {
    checkWritable();
    boolean replace = false;
    for (CopyOption o : options) {
      if (o == StandardCopyOption.REPLACE_EXISTING || o == StandardCopyOption.ATOMIC_MOVE) {
        replace = true;
      } else if (o != StandardCopyOption.COPY_ATTRIBUTES && o != LinkOption.NOFOLLOW_LINKS) {
        throw new UnsupportedOperationException("unsupported move option " + o);
      }
    }
    String s = src.volumePath();
    String d = dst.volumePath();
    attributes(src);
    if (s.equals(d)) {
      return;
    }
    if (s.isEmpty() || d.isEmpty()) {
      throw new AtomicMoveNotSupportedException(
          src.toString(), dst.toString(), "cannot move the root directory");
    }
    try {
      volume().rename(s, d, replace);
    } catch (FileSystemException e) {
      throw Errors.withFile(e, src.toString(), dst.toString());
    }
  }

  void checkAccess(SconejPath p, AccessMode... modes) throws IOException {
    NodeAttributes a = attributes(p);
    for (AccessMode m : modes) {
      if (m == AccessMode.WRITE && fs.isReadOnly()) {
        throw new AccessDeniedException(p.toString(), null, "read-only volume");
      }
      if (m == AccessMode.EXECUTE && !a.directory()) {
        throw new AccessDeniedException(p.toString(), null, "shielded files are not executable");
      }
    }
  }

  void setLastModifiedTime(SconejPath p, FileTime t) throws IOException {
    checkWritable();
    attributes(p);
    volume().setLastModifiedTime(p.volumePath(), t.toMillis());
  }

  /** A directory stream over a listing taken when it was opened; iterable once. */
  private static final class ListDirectoryStream implements DirectoryStream<Path> {
    private final List<Path> entries;
    private boolean iterated;
    private boolean closed;

    ListDirectoryStream(List<Path> entries) {
      this.entries = entries;
    }

    @Override
    public synchronized Iterator<Path> iterator() {
      if (closed || iterated) {
        throw new IllegalStateException("directory stream closed or already iterated");
      }
      iterated = true;
      return List.copyOf(entries).iterator();
    }

    @Override
    public synchronized void close() {
      closed = true;
    }
  }
}
