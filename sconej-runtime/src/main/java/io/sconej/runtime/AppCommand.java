package io.sconej.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;

/**
 * The application's command line as the session defines it, in one of the forms
 * {@code [MAIN_CLASS, args...]}, {@code [java, [-Dk=v...], [-cp CP], MAIN_CLASS, args...]} or
 * {@code [java, [-Dk=v...], -jar JAR, args...]}. The class path is the measured one given at
 * launch, so {@code -cp} is accepted but not used; JVM options other than {@code -D} would have to
 * be set before the JVM starts (and measured), so they are refused.
 *
 * <p>The command arrives with its placeholders expanded, so any element may hold a secret: no
 * message of this class ever contains an element's text. Errors name the element by its position
 * ("element 3 of the session's command") instead.
 *
 * @param mainClass the class whose {@code main} runs
 * @param args the application's arguments
 * @param properties system properties set before {@code main}
 */
record AppCommand(String mainClass, List<String> args, Map<String, String> properties) {

  static AppCommand parse(List<String> command, List<Path> appClassPath) throws LaunchException {
    if (command.isEmpty()) {
      throw new LaunchException(2, "the session's command is empty");
    }
    int i = 0;
    Map<String, String> props = new LinkedHashMap<>();
    String main = null;
    if (command.get(0).equals("java") || command.get(0).endsWith("/java")) {
      i = 1;
      while (i < command.size() && command.get(i).startsWith("-")) {
        String o = command.get(i);
        if (o.startsWith("-D")) {
          int eq = o.indexOf('=');
          props.put(eq < 0 ? o.substring(2) : o.substring(2, eq), eq < 0 ? "" : o.substring(eq + 1));
          i++;
        } else if (o.equals("-cp") || o.equals("-classpath") || o.equals("--class-path")) {
          i += 2;
        } else if (o.equals("-jar")) {
          if (i + 1 >= command.size()) {
            throw new LaunchException(2, "the session's command has -jar without a jar");
          }
          main = mainOfJar(command.get(i + 1), i + 2, appClassPath);
          i += 2;
          break;
        } else {
          throw new LaunchException(2, "element " + (i + 1) + " of the session's command is a"
              + " JVM option other than -D, -cp or -jar, which cannot change after the enclave"
              + " starts; set it at launch instead (value not shown)");
        }
      }
    }
    if (main == null) {
      if (i >= command.size()) {
        throw new LaunchException(2, "the session's command names no main class");
      }
      main = command.get(i++);
    }
    return new AppCommand(main, List.copyOf(command.subList(i, command.size())), props);
  }

  /** The Main-Class of the measured jar named by element {@code position} (1-based). */
  private static String mainOfJar(String jar, int position, List<Path> cp)
      throws LaunchException {
    String name = jar.substring(jar.lastIndexOf('/') + 1);
    for (Path p : cp) {
      if (p.getFileName() != null && p.getFileName().toString().equals(name)) {
        try (JarFile j = new JarFile(p.toFile())) {
          var mf = j.getManifest();
          String m = mf == null ? null : mf.getMainAttributes().getValue("Main-Class");
          if (m == null) {
            throw new LaunchException(2, "jar " + p + " has no Main-Class in its manifest");
          }
          return m;
        } catch (IOException e) {
          throw new LaunchException(2, "cannot read jar " + p + ": " + e.getMessage());
        }
      }
    }
    throw new LaunchException(2, "element " + position + " of the session's command, the jar"
        + " after -jar, is not on the measured application class path (value not shown)");
  }

  String[] argv() {
    return new ArrayList<>(args).toArray(String[]::new);
  }
}
