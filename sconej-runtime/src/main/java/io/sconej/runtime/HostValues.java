package io.sconej.runtime;

import io.sconej.cas.client.ProcessConfig;
import io.sconej.cas.client.ServiceConfig;
import io.sconej.cas.client.VolumeConfig;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Replaces the values the JVM derived from the host at start (its locale from {@code LANG} and
 * {@code LC_*}, the temporary directory) before the application's {@code main} runs, so that
 * the application sees the session's values, not the host's (docs/policy.md, {@code
 * working_dir}, {@code locale}, {@code tmp_dir}):
 *
 * <ul>
 *   <li>a session {@code working_dir} inside a volume is created there if missing;
 *   <li>{@code java.io.tmpdir} is the session's {@code tmp_dir} (inside an {@code encrypted}
 *       volume), by default {@value #TMP_DIR} inside the session's first {@code encrypted} volume
 *       (created if missing), so temporary files are shielded like the volume; without an
 *       encrypted volume it names a directory that does not exist ({@value #NO_TMP_DIR}), so
 *       creating a temporary file fails instead of writing plaintext to the host. {@code
 *       File.createTempFile} and {@code Files.createTempFile} follow it (sconej-ioagent patches
 *       the JDK's start-up copy of the property out);
 *   <li>the locale is the session's {@code locale}, by default {@code en-US}, as {@link
 *       Locale#getDefault()} (all categories) and in {@code user.language}, {@code user.script},
 *       {@code user.country}, {@code user.variant}; the per-category properties the JVM may have
 *       derived from {@code LC_*} are removed;
 *   <li>{@code file.encoding}, {@code stdout.encoding} and {@code stderr.encoding} are UTF-8, and
 *       {@code System.out} and {@code System.err} are replaced by UTF-8 print streams on file
 *       descriptors 1 and 2 (the JVM made them in the host locale's encoding; the console shield,
 *       installed after this, keeps their UTF-8).
 * </ul>
 *
 * <p>Restrictions: values the JDK reads once at start cannot be changed here: the working
 * directory relative paths resolve against ({@code user.dir}), {@code sun.jnu.encoding} (how
 * file names are encoded) and {@code native.encoding}. The working directory is therefore checked,
 * not set: with a session {@code working_dir} the enclave refuses to start anywhere else ({@link
 * #checkWorkingDir}).
 */
final class HostValues {
  /** The temporary directory inside the first encrypted volume. */
  static final String TMP_DIR = ".sconej-tmp";

  /** The temporary directory when the session has no encrypted volume: never created. */
  static final String NO_TMP_DIR = "/nonexistent/sconej: the session has no encrypted volume";

  /** The enclave's locale when the session sets none. */
  static final Locale LOCALE = Locale.US;

  private static final List<String> LOCALE_PROPERTIES =
      List.of("user.language", "user.script", "user.country", "user.variant");

  private HostValues() {}

  /** A print stream like the JVM's own System.out (buffered, autoflush), in UTF-8. */
  private static PrintStream utf8(FileDescriptor fd) {
    return new PrintStream(new BufferedOutputStream(new FileOutputStream(fd), 8192), true,
        StandardCharsets.UTF_8);
  }

  /**
   * Refuses (exit 3) to run in another working directory than the session's {@code
   * working_dir}: the JVM resolves every relative path against the directory it started in.
   *
   * @param userDir the directory relative paths resolve against ({@code new
   *     File("").getAbsolutePath()})
   */
  static void checkWorkingDir(ProcessConfig process, String userDir) throws LaunchException {
    Optional<String> wanted = process.workingDir();
    if (wanted.isPresent() && !Path.of(wanted.get()).equals(Path.of(userDir).normalize())) {
      throw new LaunchException(3, "the enclave was started in working directory " + userDir
          + ", but the session's working_dir is " + wanted.get() + ": relative paths would"
          + " resolve against the host's choice; start the enclave from " + wanted.get());
    }
  }

  /**
   * The temporary directory: the session's {@code tmp_dir} (refused unless it lies in an
   * encrypted volume), else {@value #TMP_DIR} in the first encrypted volume, else none.
   */
  static Optional<Path> tmpDir(ServiceConfig cfg) throws LaunchException {
    List<VolumeConfig> volumes = cfg.volumes();
    Optional<String> dir = cfg.process().tmpDir();
    if (dir.isPresent()) {
      Optional<String> holder = ProcessConfig.volumeHolding(dir.get(),
          volumes.stream().map(VolumeConfig::path).toList());
      boolean encrypted = holder.isPresent() && volumes.stream()
          .anyMatch(v -> v.path().equals(holder.get()) && v.kind().equals("encrypted"));
      if (!encrypted) {
        throw new LaunchException(3, "the session's tmp_dir " + dir.get() + " is not inside an"
            + " encrypted volume: temporary files would not be encrypted");
      }
      return Optional.of(Path.of(dir.get()));
    }
    return volumes.stream()
        .filter(v -> v.kind().equals("encrypted"))
        .findFirst()
        .map(v -> Path.of(v.path()).resolve(TMP_DIR));
  }

  /**
   * Installs the session's values, then the system properties the session's command sets with
   * {@code -D} (which may choose another {@code java.io.tmpdir} or locale); the default {@link
   * Locale} follows the resulting {@code user.*} properties when the command sets any of them.
   * The volumes must be mounted already.
   */
  static void install(ServiceConfig cfg, java.util.Map<String, String> sessionProperties)
      throws IOException, LaunchException {
    Optional<Path> tmp = tmpDir(cfg);
    if (tmp.isPresent()) {
      Files.createDirectories(tmp.get());
    }
    System.setProperty("java.io.tmpdir", tmp.map(Path::toString).orElse(NO_TMP_DIR));
    // A working directory inside a volume exists only there: the volume shield serves the path.
    Optional<String> wd = cfg.process().workingDir();
    if (wd.isPresent() && ProcessConfig.volumeHolding(wd.get(),
        cfg.volumes().stream().map(VolumeConfig::path).toList()).isPresent()) {
      Files.createDirectories(Path.of(wd.get()));
    }
    for (String p : List.of("user.language.display", "user.country.display",
        "user.script.display", "user.variant.display", "user.language.format",
        "user.country.format", "user.script.format", "user.variant.format")) {
      System.clearProperty(p);
    }
    Locale locale = cfg.process().locale().map(ProcessConfig::toLocale).orElse(LOCALE);
    List<String> values = List.of(locale.getLanguage(), locale.getScript(), locale.getCountry(),
        locale.getVariant());
    for (int i = 0; i < LOCALE_PROPERTIES.size(); i++) {
      if (values.get(i).isEmpty()) {
        System.clearProperty(LOCALE_PROPERTIES.get(i));
      } else {
        System.setProperty(LOCALE_PROPERTIES.get(i), values.get(i));
      }
    }
    for (String p : List.of("file.encoding", "stdout.encoding", "stderr.encoding")) {
      System.setProperty(p, "UTF-8");
    }
    System.out.flush();
    System.err.flush();
    System.setOut(utf8(FileDescriptor.out));
    System.setErr(utf8(FileDescriptor.err));
    sessionProperties.forEach(System::setProperty);
    if (LOCALE_PROPERTIES.stream().anyMatch(sessionProperties::containsKey)) {
      locale = fromProperties();
    }
    Locale.setDefault(locale);
    Locale.setDefault(Locale.Category.DISPLAY, locale);
    Locale.setDefault(Locale.Category.FORMAT, locale);
  }

  /** The locale the {@code user.*} properties name (as the JVM builds it at start). */
  private static Locale fromProperties() {
    String language = System.getProperty("user.language", "");
    String country = System.getProperty("user.country", "");
    String variant = System.getProperty("user.variant", "");
    try {
      return new Locale.Builder().setLanguage(language)
          .setScript(System.getProperty("user.script", "")).setRegion(country)
          .setVariant(variant).build();
    } catch (java.util.IllformedLocaleException e) {
      return Locale.of(language, country, variant);
    }
  }
}
