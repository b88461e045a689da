package io.sconej.runtime;

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
 * the application sees the enclave's values, not the host's:
 *
 * <ul>
 *   <li>{@code java.io.tmpdir} is {@value #TMP_DIR} inside the session's first {@code encrypted}
 *       volume (created if missing), so temporary files are shielded like the volume; without an
 *       encrypted volume it names a directory that does not exist ({@value #NO_TMP_DIR}), so
 *       creating a temporary file fails instead of writing plaintext to the host;
 *   <li>the locale is fixed: {@code en-US} as {@link Locale#getDefault()} (all categories) and in
 *       {@code user.language}, {@code user.country}; the per-category and script/variant
 *       properties the JVM may have derived from {@code LC_*} are removed;
 *   <li>{@code file.encoding}, {@code stdout.encoding} and {@code stderr.encoding} are UTF-8, and
 *       {@code System.out} and {@code System.err} are replaced by UTF-8 print streams on file
 *       descriptors 1 and 2 (the JVM made them in the host locale's encoding; the console shield,
 *       installed after this, keeps their UTF-8).
 * </ul>
 *
 * <p>Restrictions: values the JDK reads once at start cannot be changed here: the working
 * directory relative paths resolve against ({@code user.dir}), {@code sun.jnu.encoding} (how
 * file names are encoded) and {@code native.encoding}. Those stay as the host started the JVM;
 * they must be pinned by the launcher (a clean environment, a fixed working directory) and
 * measured. Must run before the application touches {@code java.io.tmpdir} (the JDK caches it).
 */
final class HostValues {
  /** The temporary directory inside the first encrypted volume. */
  static final String TMP_DIR = ".sconej-tmp";

  /** The temporary directory when the session has no encrypted volume: never created. */
  static final String NO_TMP_DIR = "/nonexistent/sconej: the session has no encrypted volume";

  /** The enclave's fixed locale. */
  static final Locale LOCALE = Locale.US;

  private HostValues() {}

  /** A print stream like the JVM's own System.out (buffered, autoflush), in UTF-8. */
  private static PrintStream utf8(FileDescriptor fd) {
    return new PrintStream(new BufferedOutputStream(new FileOutputStream(fd), 8192), true,
        StandardCharsets.UTF_8);
  }

  /** The temporary directory for a session's volumes, if it has an encrypted one. */
  static Optional<Path> tmpDir(List<VolumeConfig> volumes) {
    return volumes.stream()
        .filter(v -> v.kind().equals("encrypted"))
        .findFirst()
        .map(v -> Path.of(v.path()).resolve(TMP_DIR));
  }

  /**
   * Installs the enclave's values, then the system properties the session's command sets with
   * {@code -D} (which may choose another {@code java.io.tmpdir} or locale); the default {@link
   * Locale} follows the resulting {@code user.language} and {@code user.country}. The volumes
   * must be mounted already.
   */
  static void install(ServiceConfig cfg, java.util.Map<String, String> sessionProperties)
      throws IOException {
    Optional<Path> tmp = tmpDir(cfg.volumes());
    if (tmp.isPresent()) {
      Files.createDirectories(tmp.get());
    }
    System.setProperty("java.io.tmpdir", tmp.map(Path::toString).orElse(NO_TMP_DIR));
    for (String p : List.of("user.script", "user.variant", "user.language.display",
        "user.country.display", "user.script.display", "user.variant.display",
        "user.language.format", "user.country.format", "user.script.format",
        "user.variant.format")) {
      System.clearProperty(p);
    }
    System.setProperty("user.language", LOCALE.getLanguage());
    System.setProperty("user.country", LOCALE.getCountry());
    for (String p : List.of("file.encoding", "stdout.encoding", "stderr.encoding")) {
      System.setProperty(p, "UTF-8");
    }
    System.out.flush();
    System.err.flush();
    System.setOut(utf8(FileDescriptor.out));
    System.setErr(utf8(FileDescriptor.err));
    sessionProperties.forEach(System::setProperty);
    Locale locale = Locale.of(System.getProperty("user.language"),
        System.getProperty("user.country", ""));
    Locale.setDefault(locale);
    Locale.setDefault(Locale.Category.DISPLAY, locale);
    Locale.setDefault(Locale.Category.FORMAT, locale);
  }
}
