package io.sconej.attestation.measure;

import io.sconej.crypto.Hex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The canonical, reproducible measurement of an enclave: a 32-byte SHA-256 over the JRE, the sconej
 * runtime class path, the application class path and the launch settings that change behaviour.
 * Specified byte for byte in {@code docs/formats/measurement.md}.
 *
 * <p>Guarantees: the same inputs give the same value regardless of class path order, jar entry
 * order, timestamps, compression, permissions and file names of class path elements; any changed
 * byte of a measured file, any added or removed file, and any changed setting give a different
 * value. Refusals ({@link MeasurementException}): an unreadable input, a java home without {@code
 * lib/modules}, a jar with duplicate entry names or a manifest {@code Class-Path}, a class defined
 * differently by two class path elements.
 *
 * <p>Restrictions: it is only as good as the code that computes it; in {@code sim} mode the host
 * can change that code. It reads every byte every time unless given a {@link FileHashCache},
 * which only {@code sim} mode uses (there a host-controlled cache takes nothing away, because the
 * host controls the measuring code; a TEE measures with the hardware).
 */
public final class Measurement {
  /** Domain of the top-level hash. */
  public static final String DOMAIN = "sconej-measurement-v1";

  /** Top-level java home entries never loaded by a running JVM, so not measured. */
  public static final Set<String> JAVA_HOME_EXCLUDED =
      Set.of("legal/", "man/", "include/", "jmods/", "demo/", "sample/", "lib/src.zip");

  private final byte[] value;
  private final List<String> manifest;

  private Measurement(byte[] value, List<String> manifest) {
    this.value = value;
    this.manifest = List.copyOf(manifest);
  }

  /** A builder; {@link Builder#javaHome(Path)} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The 32-byte measurement. */
  public byte[] value() {
    return value.clone();
  }

  /** The measurement as 64 lower-case hex digits. */
  public String hex() {
    return Hex.encode(value);
  }

  /**
   * A human-readable listing, one line per component with its hash, for diffing two measurements;
   * the last line is {@code measurement <hex>}. Paths shown are informational (not measured).
   */
  public List<String> manifest() {
    return manifest;
  }

  /** Collects the inputs; {@link #build()} reads and hashes them. */
  public static final class Builder {
    private Path javaHome;
    private List<Path> runtimeClassPath = List.of();
    private List<Path> appClassPath = List.of();
    private final Map<String, String> settings = new TreeMap<>(Tree.NAME_ORDER);
    private FileHashCache cache;

    private Builder() {}

    /** The Java home whose JRE runs the enclave (required). */
    public Builder javaHome(Path javaHome) {
      this.javaHome = javaHome;
      return this;
    }

    /**
     * Takes the hashes of unchanged files (Java home files, jars, class path directories' files)
     * from {@code cache} ({@code sim} mode only: see {@link FileHashCache}); default none, every
     * byte is read.
     */
    public Builder cache(FileHashCache cache) {
      this.cache = cache;
      return this;
    }

    /** The sconej runtime's jars and directories (default none). */
    public Builder runtimeClassPath(List<Path> classPath) {
      this.runtimeClassPath = List.copyOf(classPath);
      return this;
    }

    /** The application's jars and directories (default none). */
    public Builder appClassPath(List<Path> classPath) {
      this.appClassPath = List.copyOf(classPath);
      return this;
    }

    /** The main class: the setting {@code main-class}. */
    public Builder mainClass(String mainClass) {
      return setting("main-class", mainClass);
    }

    /**
     * A launch setting that changes behaviour (e.g. {@code mode}, {@code ethreads}, {@code
     * hostcalls}, {@code jvm-options}).
     *
     * @throws IllegalArgumentException for an empty key or a key set twice to different values
     */
    public Builder setting(String key, String value) {
      if (key.isEmpty()) {
        throw new IllegalArgumentException("setting key must not be empty");
      }
      String prev = settings.putIfAbsent(key, value);
      if (prev != null && !prev.equals(value)) {
        throw new IllegalArgumentException("setting " + key + " given twice with different values");
      }
      return this;
    }

    /** All of {@code settings}, as by {@link #setting(String, String)}. */
    public Builder settings(Map<String, String> settings) {
      settings.forEach(this::setting);
      return this;
    }

    /**
     * Reads and hashes everything.
     *
     * @throws MeasurementException naming the file that cannot be measured and why
     * @throws IllegalStateException if no java home was given
     */
    public Measurement build() throws IOException {
      if (javaHome == null) {
        throw new IllegalStateException("javaHome is required");
      }
      if (!Files.isRegularFile(javaHome.resolve("lib").resolve("modules"))) {
        throw new MeasurementException(javaHome + ": not a Java home (no lib/modules)");
      }
      Tree jre = Tree.ofDirectory(javaHome, Measurement::measuredInJavaHome, cache);
      ClassPathHash runtime = ClassPathHash.of(runtimeClassPath, cache);
      ClassPathHash app = ClassPathHash.of(appClassPath, cache);
      ClassPathHash.refuseConflictingClasses(List.of(runtime, app));
      byte[] settingsHash = settingsHash(settings);

      MessageDigest md = Tree.sha256();
      Encoding.str(md, DOMAIN);
      Encoding.str(md, "jre");
      md.update(jre.hash());
      Encoding.str(md, "runtime");
      md.update(runtime.hash());
      Encoding.str(md, "app");
      md.update(app.hash());
      Encoding.str(md, "settings");
      md.update(settingsHash);
      byte[] value = md.digest();

      List<String> lines = new ArrayList<>();
      lines.add(DOMAIN);
      lines.add("jre " + jre.hex() + " " + javaHome);
      jre.files().forEach((name, h) -> lines.add("  " + Hex.encode(h) + " " + name));
      classPathLines(lines, "runtime", runtime);
      classPathLines(lines, "app", app);
      lines.add("settings " + Hex.encode(settingsHash));
      settings.forEach((k, v) -> lines.add("  " + k + "=" + v));
      lines.add("measurement " + Hex.encode(value));
      return new Measurement(value, lines);
    }

    private static void classPathLines(List<String> lines, String label, ClassPathHash cp) {
      lines.add(label + " " + cp.hex());
      for (var e : cp.entries()) {
        lines.add("  " + e.getValue().hex() + " " + e.getKey());
        e.getValue().files().forEach((name, h) -> lines.add("    " + Hex.encode(h) + " " + name));
      }
    }
  }

  static boolean measuredInJavaHome(String relativeName) {
    for (String x : JAVA_HOME_EXCLUDED) {
      if (x.endsWith("/") ? relativeName.startsWith(x) : relativeName.equals(x)) {
        return false;
      }
    }
    return true;
  }

  static byte[] settingsHash(Map<String, String> settings) {
    MessageDigest md = Tree.sha256();
    Encoding.str(md, "sconej-settings-v1");
    Encoding.u32(md, settings.size());
    settings.forEach(
        (k, v) -> {
          Encoding.str(md, k);
          Encoding.str(md, v);
        });
    return md.digest();
  }
}
