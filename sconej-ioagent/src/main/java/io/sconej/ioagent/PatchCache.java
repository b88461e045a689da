package io.sconej.ioagent;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * Transformed class bytes computed when the agent jar was built, so that start-up need not run
 * the class-file API. An entry is used only if the bytes the JVM hands to the transformer are
 * exactly the bytes seen at build time (same JDK build); otherwise the agent transforms as usual.
 *
 * <p>The JVM hands slightly different bytes for one class depending on how it was loaded (from
 * the CDS archive or not), so a class may have several entries.
 *
 * <p>Format of {@value #ENTRY}: {@code count:int, then per entry: name:UTF, original:(len:int,
 * bytes), transformed:(len:int, bytes)}, entries sorted by name, then by input (reproducible).
 */
final class PatchCache {
  static final String ENTRY = "META-INF/sconej-ioagent/patches.bin";
  private static final int MAX_CLASS_BYTES = 1 << 20;

  private final Map<String, List<byte[][]>> entries;

  private PatchCache(Map<String, List<byte[][]>> entries) {
    this.entries = entries;
  }

  /** Returns an empty cache. */
  static PatchCache empty() {
    return new PatchCache(new HashMap<>());
  }

  /** Reads the cache from the agent jar; empty if the jar has none. */
  static PatchCache read(JarFile jar) throws IOException {
    ZipEntry e = jar.getEntry(ENTRY);
    if (e == null) {
      return empty();
    }
    try (InputStream in = jar.getInputStream(e)) {
      return read(in);
    }
  }

  private static PatchCache read(InputStream raw) throws IOException {
    Map<String, List<byte[][]>> entries = new HashMap<>();
    DataInputStream in = new DataInputStream(raw);
    int count = in.readInt();
    for (int i = 0; i < count; i++) {
      String name = in.readUTF();
      byte[][] entry = {bytes(in), bytes(in)};
      List<byte[][]> list = entries.get(name);
      if (list == null) {
        list = new ArrayList<>();
        entries.put(name, list);
      }
      list.add(entry);
    }
    return new PatchCache(entries);
  }

  private static byte[] bytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_CLASS_BYTES) {
      throw new IOException("corrupt " + ENTRY + ": class length " + n);
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }

  /** Returns the transformed bytes if {@code original} matches the build-time bytes exactly. */
  byte[] lookup(String className, byte[] original) {
    List<byte[][]> list = entries.get(className);
    if (list != null) {
      for (byte[][] e : list) {
        if (Arrays.equals(e[0], original)) {
          return e[1].clone();
        }
      }
    }
    return null;
  }

  /**
   * Adds {@code patches} (class name to original and transformed bytes) to the cache in {@code
   * file}, creating it if needed; an entry already present is not duplicated.
   */
  static void merge(String file, Map<String, byte[][]> patches) throws IOException {
    Map<String, List<byte[][]>> all = new TreeMap<>();
    File f = new File(file);
    if (f.isFile()) {
      try (InputStream in = new FileInputStream(f)) {
        all.putAll(read(in).entries);
      }
    }
    for (Map.Entry<String, byte[][]> p : patches.entrySet()) {
      List<byte[][]> list = all.get(p.getKey());
      if (list == null) {
        list = new ArrayList<>();
        all.put(p.getKey(), list);
      }
      boolean known = false;
      for (byte[][] e : list) {
        known |= Arrays.equals(e[0], p.getValue()[0]);
      }
      if (!known) {
        list.add(p.getValue());
      }
    }
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(buf)) {
      int count = 0;
      for (List<byte[][]> list : all.values()) {
        count += list.size();
      }
      out.writeInt(count);
      for (Map.Entry<String, List<byte[][]>> e : all.entrySet()) {
        List<byte[][]> list = new ArrayList<>(e.getValue());
        list.sort((a, b) -> Arrays.compare(a[0], b[0]));
        for (byte[][] entry : list) {
          out.writeUTF(e.getKey());
          for (byte[] b : entry) {
            out.writeInt(b.length);
            out.write(b);
          }
        }
      }
    }
    // Written beside and renamed: a reader never sees a half-written cache.
    File tmp = new File(file + ".tmp" + ProcessHandle.current().pid());
    try (FileOutputStream out = new FileOutputStream(tmp)) {
      buf.writeTo(out);
    }
    if (!tmp.renameTo(f)) {
      tmp.delete();
      throw new IOException("cannot replace " + file);
    }
  }

  /**
   * The cache in {@code file} (a run-time cache for one JVM configuration), or empty if it is
   * missing or unreadable: entries are only ever used for byte-identical input, so losing them
   * costs time, never correctness.
   */
  static PatchCache readFile(String file) {
    File f = new File(file);
    if (!f.isFile()) {
      return empty();
    }
    try (InputStream in = new FileInputStream(f)) {
      return read(in);
    } catch (IOException | RuntimeException e) {
      return empty();
    }
  }

  /** This cache with every entry of {@code other} added. */
  PatchCache plus(PatchCache other) {
    Map<String, List<byte[][]>> all = new HashMap<>();
    entries.forEach((k, v) -> all.put(k, new ArrayList<>(v)));
    other.entries.forEach((k, v) -> all.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
    return new PatchCache(all);
  }

  /** Whether this cache has an entry (for some input) for each of {@code classNames}. */
  boolean covers(List<String> classNames) {
    return entries.keySet().containsAll(classNames);
  }
}
