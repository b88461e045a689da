package io.sconej.attestation.measure;

import io.sconej.crypto.Hex;
import io.sconej.crypto.SmallFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Content hashes (or any value computed from a file's bytes alone, such as a jar's tree) of files
 * remembered by file identity ({@code dev, ino, size, mtime, ctime}, all
 * to the nanosecond), so that a measurement re-reads only files that changed. For {@code sim} mode
 * only: there the host controls the code that computes the measurement anyway, so a host-writable
 * cache takes nothing away; a TEE mode measures with the hardware and never uses one.
 *
 * <p>Guarantees: an entry is used only if every identity field is unchanged; {@code ctime} cannot
 * be set back by {@code touch} or {@code utimes}, so an ordinary edit, copy-over or restore of a
 * file always misses. A hash is remembered only if the file's identity was the same before and
 * after it was read. A missing, corrupt or oversized cache file, or one that is not a regular file
 * (a FIFO, a device), is treated as empty (everything is
 * hashed again), never as an error. {@link #save()} replaces the file atomically.
 *
 * <p>Restrictions: Linux ({@code unix:} attributes); elsewhere nothing is cached.
 */
public final class FileHashCache {
  static final String HEADER = "sconej-file-hash-cache-v1";
  /** A cache file larger than this is ignored (a host could otherwise make the start slow). */
  static final int MAX_BYTES = 16 << 20;

  private record Entry(String identity, byte[] hash) {}

  private final Path file;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private volatile boolean changed;
  private int hits;
  private int misses;

  private FileHashCache(Path file) {
    this.file = file;
  }

  /** The cache kept in {@code file}; empty if it is missing or unusable. */
  public static FileHashCache load(Path file) {
    FileHashCache c = new FileHashCache(file);
    try {
      // A regular file only: a FIFO or a device here would block the start or never end.
      List<String> lines =
          new String(SmallFiles.read(file, "measurement cache", MAX_BYTES), StandardCharsets.UTF_8)
              .lines()
              .toList();
      if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
        return c;
      }
      for (String line : lines.subList(1, lines.size())) {
        // hash identity(5 fields) path; the path is last because it may contain spaces
        String[] f = line.split(" ", 7);
        if (f.length == 7 && !f[0].isEmpty() && f[0].length() % 2 == 0) {
          String id = String.join(" ", f[1], f[2], f[3], f[4], f[5]);
          c.entries.put(f[6], new Entry(id, Hex.decode(f[0], "cached hash")));
        }
      }
    } catch (IOException | RuntimeException e) {
      c.entries.clear(); // unusable: hash everything again
    }
    return c;
  }

  /** Computes a hash of a file's content. */
  @FunctionalInterface
  public interface Hasher {
    byte[] hash(Path file) throws IOException;
  }

  /**
   * The content hash of {@code p}: the remembered one if the file's identity is unchanged, else
   * {@code hasher}'s (remembered if the file did not change while it was read).
   */
  public byte[] hash(Path p, Hasher hasher) throws IOException {
    String key = p.toAbsolutePath().normalize().toString();
    if (key.indexOf('\n') >= 0 || key.indexOf('\r') >= 0) {
      return hasher.hash(p);
    }
    String before = identity(p);
    Entry e = before == null ? null : entries.get(key);
    if (e != null && e.identity().equals(before)) {
      count(true);
      return e.hash().clone();
    }
    count(false);
    byte[] h = hasher.hash(p);
    if (before != null && before.equals(identity(p))) {
      entries.put(key, new Entry(before, h.clone()));
      changed = true;
    }
    return h;
  }

  private synchronized void count(boolean hit) {
    if (hit) {
      hits++;
    } else {
      misses++;
    }
  }

  /** Hashes taken from the cache so far. */
  public synchronized int hits() {
    return hits;
  }

  /** Files hashed because the cache had no valid entry. */
  public synchronized int misses() {
    return misses;
  }

  /** Writes the cache back if anything new was learned (temporary file, then atomic rename). */
  public void save() throws IOException {
    if (!changed) {
      return;
    }
    List<String> lines = new ArrayList<>(entries.size() + 1);
    lines.add(HEADER);
    entries.forEach((path, e) -> lines.add(Hex.encode(e.hash()) + " " + e.identity() + " " + path));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp" + ProcessHandle.current().pid());
    try {
      Files.write(tmp, lines, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      changed = false;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** {@code dev ino size mtime ctime} (nanoseconds), or null if not available. */
  static String identity(Path p) throws IOException {
    try {
      Map<String, Object> a = Files.readAttributes(p, "unix:dev,ino,size,lastModifiedTime,ctime");
      return a.get("dev") + " " + a.get("ino") + " " + a.get("size") + " "
          + nanos(a.get("lastModifiedTime")) + " " + nanos(a.get("ctime"));
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return null;
    } catch (NoSuchFileException e) {
      throw e;
    }
  }

  private static long nanos(Object t) {
    return ((FileTime) t).to(TimeUnit.NANOSECONDS);
  }
}
