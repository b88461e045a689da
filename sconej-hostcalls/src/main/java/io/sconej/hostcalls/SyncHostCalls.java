package io.sconej.hostcalls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Synchronous host calls: the calling thread performs each operation itself (the analogue of one
 * enclave exit per call). Uses the platform file system provider directly, so it keeps working
 * when sconej is installed as the JVM's default provider.
 */
public final class SyncHostCalls implements HostCalls {
  private final FileSystemProvider platform;
  private final FileSystem platformFs;
  private final ConcurrentHashMap<Long, FileChannel> open = new ConcurrentHashMap<>();
  /** Paths of the open handles that were opened for writing (for {@link #punchHole}). */
  private final ConcurrentHashMap<Long, String> writablePaths = new ConcurrentHashMap<>();
  private final AtomicLong nextHandle = new AtomicLong(1);

  private SyncHostCalls(FileSystemProvider platform) {
    this.platform = platform;
    this.platformFs = platform.getFileSystem(java.net.URI.create("file:///"));
  }

  /** Host calls through the JVM's built-in platform provider. */
  public static SyncHostCalls create() {
    return new SyncHostCalls(PlatformProvider.get());
  }

  /** Host calls through a given platform provider (used when sconej wraps the default). */
  public static SyncHostCalls over(FileSystemProvider platform) {
    return new SyncHostCalls(platform);
  }

  private Path path(String p) {
    return platformFs.getPath(p);
  }

  private FileChannel channel(long handle) throws IOException {
    FileChannel ch = open.get(handle);
    if (ch == null) {
      throw new IOException("no open host file with handle " + handle);
    }
    return ch;
  }

  @Override
  public long open(String p, int flags) throws IOException {
    Set<OpenOption> opts = new HashSet<>();
    if ((flags & READ) != 0) {
      opts.add(StandardOpenOption.READ);
    }
    if ((flags & WRITE) != 0) {
      opts.add(StandardOpenOption.WRITE);
    }
    if ((flags & CREATE) != 0) {
      opts.add(StandardOpenOption.CREATE);
    }
    if ((flags & CREATE_NEW) != 0) {
      opts.add(StandardOpenOption.CREATE_NEW);
    }
    if ((flags & TRUNCATE) != 0) {
      opts.add(StandardOpenOption.TRUNCATE_EXISTING);
    }
    FileChannel ch = platform.newFileChannel(path(p), opts);
    if ((flags & LOCK) != 0) {
      lock(ch, p);
    }
    long h = nextHandle.getAndIncrement();
    open.put(h, ch);
    if ((flags & WRITE) != 0) {
      writablePaths.put(h, p);
    }
    return h;
  }

  /** Takes {@code ch}'s whole-file exclusive lock, released when it closes; else closes it. */
  private static void lock(FileChannel ch, String p) throws IOException {
    boolean locked = false;
    try {
      locked = ch.tryLock() != null;
    } catch (OverlappingFileLockException e) {
      // Held by another channel of this JVM: the same conflict, one process.
    } finally {
      if (!locked) {
        ch.close();
      }
    }
    if (!locked) {
      throw new HostLockedException(p);
    }
  }

  @Override
  public int pread(long handle, ByteBuffer dst, long position) throws IOException {
    return channel(handle).read(dst, position);
  }

  @Override
  public int pwrite(long handle, ByteBuffer src, long position) throws IOException {
    return channel(handle).write(src, position);
  }

  @Override
  public long size(long handle) throws IOException {
    return channel(handle).size();
  }

  @Override
  public void truncate(long handle, long sizeBytes) throws IOException {
    channel(handle).truncate(sizeBytes);
  }

  /**
   * Punches the hole through the file's path (re-opened for the call), for the handle's file
   * must have been opened for writing; false if the platform or file system cannot.
   */
  @Override
  public boolean punchHole(long handle, long position, long length) throws IOException {
    channel(handle);
    String p = writablePaths.get(handle);
    if (p == null) {
      throw new IOException("host file with handle " + handle + " is not open for writing");
    }
    return HolePunch.punch(p, position, length);
  }

  @Override
  public void fsync(long handle, boolean metadata) throws IOException {
    channel(handle).force(metadata);
  }

  @Override
  public void close(long handle) throws IOException {
    writablePaths.remove(handle);
    FileChannel ch = open.remove(handle);
    if (ch != null) {
      ch.close();
    }
  }

  @Override
  public HostStat stat(String p) throws IOException {
    try {
      BasicFileAttributes a =
          platform.readAttributes(path(p), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return new HostStat(
          true, a.isDirectory(), a.isDirectory() ? 0 : a.size(), a.lastModifiedTime().toMillis());
    } catch (NoSuchFileException e) {
      return HostStat.MISSING;
    }
  }

  @Override
  public List<String> list(String dir) throws IOException {
    List<String> names = new ArrayList<>();
    try (var ds = platform.newDirectoryStream(path(dir), x -> true)) {
      for (Path e : ds) {
        names.add(e.getFileName().toString());
      }
    }
    return names;
  }

  @Override
  public void mkdir(String p) throws IOException {
    platform.createDirectory(path(p));
  }

  @Override
  public void delete(String p) throws IOException {
    platform.delete(path(p));
  }

  @Override
  public void rename(String from, String to) throws IOException {
    platform.move(path(from), path(to), StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public void fsyncDir(String dir) throws IOException {
    try (FileChannel ch = platform.newFileChannel(path(dir), Set.of(StandardOpenOption.READ))) {
      ch.force(true);
    }
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (Long h : List.copyOf(open.keySet())) {
      try {
        close(h);
      } catch (IOException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
