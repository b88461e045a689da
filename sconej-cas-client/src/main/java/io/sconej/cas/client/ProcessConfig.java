package io.sconej.cas.client;

import java.util.IllformedLocaleException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a session decides about the application's process instead of the host (docs/policy.md,
 * service fields {@code working_dir}, {@code locale}, {@code tmp_dir}). Empty means the default:
 * the working directory the host started the enclave in, {@value #DEFAULT_LOCALE}, and a
 * temporary directory inside the first encrypted volume.
 *
 * <p>The checks here are the ones the CAS applies at upload and the runtime again when it reads
 * the configuration, so both accept exactly the same values: {@link #pathProblem} and {@link
 * #localeProblem} return an empty string for a good value, else what is wrong.
 *
 * @param workingDir the absolute, normalised path relative paths resolve against; the enclave
 *     refuses to start in any other working directory
 * @param locale a language tag ({@code language[-Script][-REGION][-variant]}): the default locale
 * @param tmpDir the absolute, normalised directory of temporary files ({@code java.io.tmpdir});
 *     inside an {@code encrypted} volume of the service
 */
public record ProcessConfig(
    Optional<String> workingDir, Optional<String> locale, Optional<String> tmpDir) {
  /** The locale when the session sets none. */
  public static final String DEFAULT_LOCALE = "en-US";

  /** Nothing set: every default. */
  public static final ProcessConfig DEFAULTS =
      new ProcessConfig(Optional.empty(), Optional.empty(), Optional.empty());

  /** Why {@code path} cannot be a working or temporary directory, or "" if it can. */
  public static String pathProblem(String path) {
    if (!path.startsWith("/")) {
      return "must be an absolute path";
    }
    if (path.length() > 1 && path.endsWith("/")) {
      return "must not end with '/'";
    }
    for (String segment : path.substring(1).split("/", -1)) {
      if (path.length() > 1 && (segment.isEmpty() || segment.equals(".")
          || segment.equals(".."))) {
        return "must be normalised (no empty, '.' or '..' segments)";
      }
    }
    if (path.chars().anyMatch(c -> c < 0x20)) {
      return "must not contain control characters";
    }
    return "";
  }

  /** Why {@code tag} is not a locale the enclave can take as its default, or "" if it is. */
  public static String localeProblem(String tag) {
    Locale l;
    try {
      l = new Locale.Builder().setLanguageTag(tag).build();
    } catch (IllformedLocaleException e) {
      return "not a well-formed language tag (e.g. en-US, de-CH, sr-Latn-RS)";
    }
    if (l.getLanguage().isEmpty()) {
      return "names no language (e.g. en-US, de-CH, sr-Latn-RS)";
    }
    if (!l.getExtensionKeys().isEmpty()) {
      return "extensions (-u-, -x-, ...) are not supported: give language[-Script][-REGION]"
          + "[-variant]";
    }
    return "";
  }

  /** The locale the tag names (checked with {@link #localeProblem} first). */
  public static Locale toLocale(String tag) {
    return new Locale.Builder().setLanguageTag(tag).build();
  }

  /**
   * The volume whose path holds {@code path} (the longest such path), if any.
   *
   * @param volumePaths the service's volume paths
   */
  public static Optional<String> volumeHolding(String path, List<String> volumePaths) {
    String best = null;
    for (String v : volumePaths) {
      String prefix = v.endsWith("/") ? v : v + "/";
      if ((path.equals(v) || path.startsWith(prefix) || v.equals("/"))
          && (best == null || v.length() > best.length())) {
        best = v;
      }
    }
    return Optional.ofNullable(best);
  }
}
