package io.sconej.attestation.measure;

import io.sconej.crypto.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A set of named files (a directory or a jar) reduced to its canonical hash:
 *
 * <pre>
 * tree = SHA-256( str("sconej-tree-v1") || u32be(n) || for each name in UTF-8 byte order:
 *                 str(name) || SHA-256(content) )
 * </pre>
 *
 * Names are '/'-separated relative paths (jar entry names as stored); directories, timestamps,
 * permissions, compression and order do not count.
 *
 * @param hash the tree hash
 * @param files every file name with the SHA-256 of its content, in canonical order
 */
record Tree(byte[] hash, SortedMap<String, byte[]> files) {
  static final String DOMAIN = "sconej-tree-v1";

  /** UTF-8 byte order, the order every name list is hashed in. */
  static final java.util.Comparator<String> NAME_ORDER =
      (a, b) ->
          Arrays.compareUnsigned(
              a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

  static Tree of(SortedMap<String, byte[]> files) {
    MessageDigest md = sha256();
    Encoding.str(md, DOMAIN);
    Encoding.u32(md, files.size());
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      Encoding.str(md, e.getKey());
      md.update(e.getValue());
    }
    return new Tree(md.digest(), Collections.unmodifiableSortedMap(files));
  }

  /**
   * Hashes the regular files under {@code dir} (symbolic links followed) whose relative path {@code
   * include} accepts.
   */
  static Tree ofDirectory(Path dir, Predicate<String> include) throws IOException {
    return ofDirectory(dir, include, null);
  }

  /**
   * As {@link #ofDirectory(Path, Predicate)}, taking unchanged files' hashes from {@code cache}.
   */
  static Tree ofDirectory(Path dir, Predicate<String> include, FileHashCache cache)
      throws IOException {
    SortedMap<String, byte[]> files = new TreeMap<>(NAME_ORDER);
    List<Path> paths = new java.util.ArrayList<>();
    try {
      // A directory whose "name/" include refuses is not entered (e.g. a Java home's legal/).
      Files.walkFileTree(dir, java.util.EnumSet.of(FileVisitOption.FOLLOW_LINKS),
          Integer.MAX_VALUE, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult preVisitDirectory(Path d,
                java.nio.file.attribute.BasicFileAttributes a) {
              return d.equals(dir) || include.test(relativeName(dir, d) + "/")
                  ? java.nio.file.FileVisitResult.CONTINUE
                  : java.nio.file.FileVisitResult.SKIP_SUBTREE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFile(Path f,
                java.nio.file.attribute.BasicFileAttributes a) {
              if (a.isRegularFile()) {
                paths.add(f);
              }
              return java.nio.file.FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new MeasurementException(dir + ": cannot list files: " + e.getMessage(), e);
    }
    for (Path p : paths) {
      String name = relativeName(dir, p);
      if (include.test(name)) {
        try {
          files.put(name, cache == null ? hashFile(p) : cache.hash(p, Tree::hashFile));
        } catch (IOException e) {
          throw new MeasurementException(p + ": cannot read: " + e.getMessage(), e);
        }
      }
    }
    return of(files);
  }

  /**
   * Hashes the entries of a jar (directory entries skipped).
   *
   * @throws MeasurementException for an unreadable jar, duplicate entry names (readers disagree on
   *     which one counts) or a manifest {@code Class-Path} entry naming an existing jar outside
   *     {@code measured} (it would load unmeasured code)
   */
  static Tree ofJar(Path jar, java.util.Set<Path> measured) throws IOException {
    return ofJar(jar, measured, null);
  }

  /**
   * As {@link #ofJar(Path, java.util.Set)}, taking an unchanged jar's entries from {@code
   * cache}.
   */
  static Tree ofJar(Path jar, java.util.Set<Path> measured, FileHashCache cache)
      throws IOException {
    JarContent c;
    try {
      c = cache == null ? JarContent.read(jar)
          : JarContent.decode(cache.hash(jar, p -> JarContent.read(p).encode()));
    } catch (MeasurementException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new MeasurementException(jar + ": cannot read as a jar: " + e.getMessage(), e);
    }
    if (c.classPath() != null) {
      // The JVM resolves each entry against the jar's directory. One that names a measured
      // jar, or nothing, loads no unmeasured code; the manifest itself is hashed with the rest.
      Path dir = jar.toAbsolutePath().normalize().getParent();
      for (String ref : c.classPath().trim().split("\\s+")) {
        Path r = dir.resolve(ref).normalize();
        if (Files.exists(r) && !measured.contains(r)) {
          throw new MeasurementException(jar + ": manifest Class-Path entry " + ref
              + " would load the unmeasured " + r + "; put it on the class path");
        }
      }
    }
    return of(c.files());
  }

  /** What a jar contributes: its manifest Class-Path (or null) and its entries' hashes. */
  private record JarContent(String classPath, SortedMap<String, byte[]> files) {
    static JarContent read(Path jar) throws IOException {
      SortedMap<String, byte[]> files = new TreeMap<>(NAME_ORDER);
      try (JarFile z = new JarFile(jar.toFile(), false, ZipFile.OPEN_READ)) {
        var manifest = z.getManifest();
        String cp = manifest == null ? null
            : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
        Enumeration<? extends ZipEntry> en = z.entries();
        while (en.hasMoreElements()) {
          ZipEntry e = en.nextElement();
          if (e.isDirectory()) {
            continue;
          }
          if (files.containsKey(e.getName())) {
            throw new MeasurementException(jar + ": duplicate entry " + e.getName());
          }
          try (InputStream in = z.getInputStream(e)) {
            files.put(e.getName(), hash(in));
          }
        }
        return new JarContent(cp, files);
      }
    }

    /** {@code u8 hasClassPath, [str classPath], u32 n, n x (str name, 32-byte hash)}. */
    byte[] encode() throws IOException {
      var bytes = new java.io.ByteArrayOutputStream();
      var out = new java.io.DataOutputStream(bytes);
      out.writeBoolean(classPath != null);
      if (classPath != null) {
        writeStr(out, classPath);
      }
      out.writeInt(files.size());
      for (var e : files.entrySet()) {
        writeStr(out, e.getKey());
        out.write(e.getValue());
      }
      return bytes.toByteArray();
    }

    static JarContent decode(byte[] b) throws IOException {
      var in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(b));
      String cp = in.readBoolean() ? readStr(in) : null;
      int n = in.readInt();
      if (n < 0 || n > b.length) {
        throw new IOException("corrupt measurement cache entry");
      }
      SortedMap<String, byte[]> files = new TreeMap<>(NAME_ORDER);
      for (int i = 0; i < n; i++) {
        String name = readStr(in);
        byte[] h = in.readNBytes(32);
        if (h.length != 32) {
          throw new IOException("corrupt measurement cache entry");
        }
        files.put(name, h);
      }
      if (in.available() != 0) {
        throw new IOException("corrupt measurement cache entry");
      }
      return new JarContent(cp, files);
    }

    private static void writeStr(java.io.DataOutputStream out, String s) throws IOException {
      byte[] u = s.getBytes(StandardCharsets.UTF_8);
      out.writeInt(u.length);
      out.write(u);
    }

    private static String readStr(java.io.DataInputStream in) throws IOException {
      int n = in.readInt();
      if (n < 0 || n > in.available()) {
        throw new IOException("corrupt measurement cache entry");
      }
      return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }
  }

  String hex() {
    return Hex.encode(hash);
  }

  private static String relativeName(Path dir, Path p) {
    StringBuilder b = new StringBuilder();
    for (Path part : dir.relativize(p)) {
      if (!b.isEmpty()) {
        b.append('/');
      }
      b.append(part);
    }
    return b.toString();
  }

  static byte[] hashFile(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p)) {
      return hash(in);
    }
  }

  static byte[] hash(InputStream in) throws IOException {
    MessageDigest md = sha256();
    byte[] buf = new byte[1 << 16];
    for (int n; (n = in.read(buf)) > 0; ) {
      md.update(buf, 0, n);
    }
    return md.digest();
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }
}
