package io.sconej.attestation.measure;

import io.sconej.crypto.Hex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A class path measured as a set of trees (jars and directories), independent of their order and
 * file names:
 *
 * <pre>
 * classpath = SHA-256( str("sconej-classpath-v1") || u32be(n) || distinct tree hashes, sorted )
 * </pre>
 *
 * @param hash the class path hash
 * @param entries each element's path (as given) and tree, sorted by file name then hash
 */
record ClassPathHash(byte[] hash, List<Map.Entry<Path, Tree>> entries) {
  static final String DOMAIN = "sconej-classpath-v1";

  static ClassPathHash of(List<Path> classPath) throws IOException {
    return of(classPath, null);
  }

  /** As {@link #of(List)}, taking unchanged files' hashes from {@code cache} if not null. */
  static ClassPathHash of(List<Path> classPath, FileHashCache cache) throws IOException {
    List<Map.Entry<Path, Tree>> entries = new ArrayList<>();
    TreeMap<String, byte[]> distinct = new TreeMap<>();
    java.util.Set<Path> measured = new java.util.HashSet<>();
    classPath.forEach(p -> measured.add(p.toAbsolutePath().normalize()));
    for (Path p : classPath) {
      Tree t;
      if (Files.isDirectory(p)) {
        t = Tree.ofDirectory(p, name -> true, cache);
      } else if (Files.isRegularFile(p)) {
        t = Tree.ofJar(p, measured, cache);
      } else {
        throw new MeasurementException(p + ": class path element is not a jar or a directory");
      }
      entries.add(Map.entry(p, t));
      distinct.put(t.hex(), t.hash()); // hex order == unsigned byte order
    }
    MessageDigest md = Tree.sha256();
    Encoding.str(md, DOMAIN);
    Encoding.u32(md, distinct.size());
    distinct.values().forEach(md::update);
    entries.sort(
        Comparator.comparing((Map.Entry<Path, Tree> e) -> String.valueOf(e.getKey().getFileName()))
            .thenComparing(e -> e.getValue().hex()));
    return new ClassPathHash(md.digest(), List.copyOf(entries));
  }

  /**
   * Refuses a class (a {@code .class} name other than {@code module-info.class}) defined with
   * different content by two elements of the given class paths: then the order of the class path,
   * which the measurement ignores, would decide which code runs.
   */
  static void refuseConflictingClasses(List<ClassPathHash> classPaths) throws MeasurementException {
    Map<String, Map.Entry<Path, byte[]>> seen = new HashMap<>();
    for (ClassPathHash cp : classPaths) {
      for (Map.Entry<Path, Tree> e : cp.entries()) {
        for (Map.Entry<String, byte[]> f : e.getValue().files().entrySet()) {
          String name = f.getKey();
          if (!name.endsWith(".class") || name.endsWith("module-info.class")) {
            continue;
          }
          var prev = seen.putIfAbsent(name, Map.entry(e.getKey(), f.getValue()));
          if (prev != null && !Arrays.equals(prev.getValue(), f.getValue())) {
            throw new MeasurementException(
                "class "
                    + name
                    + " differs between "
                    + prev.getKey()
                    + " and "
                    + e.getKey()
                    + ": the class path order would decide which runs; remove one");
          }
        }
      }
    }
  }

  String hex() {
    return Hex.encode(hash);
  }
}
