package io.sconej.ioagent.boot;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;

/**
 * The bridge that the transformed {@code java.io.UnixFileSystem} (behind every {@link File}
 * metadata method) calls. Each entry point returns a sentinel ({@code -1}, {@link Long#MIN_VALUE}
 * or {@link #PASS_LIST}) when the path is not routed, and the JDK's own code then runs unchanged;
 * otherwise it answers from {@link Files} on the router's target path.
 *
 * <p>Refusals: a path the router refuses throws {@link SecurityException} naming the path (the
 * exception {@link File}'s methods document for denied access). Renaming across a routing
 * boundary (one side routed, the other not, or routed and refused) fails ({@code false}).
 * Permissions of routed files cannot be changed ({@code setReadable}, {@code setReadOnly}, ...
 * return {@code false}).
 */
public final class FileBridge {
  /** The "not routed" answer of {@link #list(File)}; compared by identity. */
  public static final String[] PASS_LIST = new String[0];

  private static final int BA_EXISTS = 0x01;
  private static final int BA_REGULAR = 0x02;
  private static final int BA_DIRECTORY = 0x04;
  private static final int BA_HIDDEN = 0x08;
  private static final int ACCESS_READ = 0x04;
  private static final int ACCESS_WRITE = 0x02;
  private static final int ACCESS_EXECUTE = 0x01;

  private FileBridge() {}

  /** Returns the routed target, or null when the JDK's own code should run. */
  private static Path target(String name) {
    if (!IoBridge.installed()) {
      return null;
    }
    Route route = IoBridge.decide(name);
    if (route instanceof Route.To(Path target)) {
      return target;
    }
    if (route instanceof Route.Refuse(String reason)) {
      throw new SecurityException(name + ": refused by the sconej file shield: " + reason);
    }
    return null;
  }

  private static Path target(File f) {
    return target(f.getPath());
  }

  private static int bool(boolean b) {
    return b ? 1 : 0;
  }

  /** {@code FileSystem.getBooleanAttributes}: exists, regular, directory, hidden bits. */
  public static int booleanAttributes(File f) {
    Path t = target(f);
    if (t == null) {
      return -1;
    }
    int hidden = f.getName().startsWith(".") ? BA_HIDDEN : 0;
    try {
      BasicFileAttributes a = Files.readAttributes(t, BasicFileAttributes.class);
      return BA_EXISTS
          | (a.isRegularFile() ? BA_REGULAR : 0)
          | (a.isDirectory() ? BA_DIRECTORY : 0)
          | hidden;
    } catch (IOException e) {
      return 0;
    }
  }

  /** {@code FileSystem.hasBooleanAttributes}: 1 if all requested bits are set, else 0. */
  public static int hasBooleanAttributes(File f, int attributes) {
    int rv = booleanAttributes(f);
    return rv < 0 ? -1 : bool((rv & attributes) == attributes);
  }

  /** {@code FileSystem.checkAccess}. */
  public static int checkAccess(File f, int access) {
    Path t = target(f);
    if (t == null) {
      return -1;
    }
    boolean ok = Files.exists(t);
    if ((access & ACCESS_READ) != 0) {
      ok &= Files.isReadable(t);
    }
    if ((access & ACCESS_WRITE) != 0) {
      ok &= Files.isWritable(t);
    }
    if ((access & ACCESS_EXECUTE) != 0) {
      ok &= Files.isExecutable(t);
    }
    return bool(ok);
  }

  /** {@code FileSystem.getLastModifiedTime}: milliseconds, 0 if unknown. */
  public static long lastModified(File f) {
    Path t = target(f);
    if (t == null) {
      return Long.MIN_VALUE;
    }
    try {
      return Files.getLastModifiedTime(t).toMillis();
    } catch (IOException e) {
      return 0L;
    }
  }

  /** {@code FileSystem.getLength}: bytes, 0 if unknown. */
  public static long length(File f) {
    Path t = target(f);
    if (t == null) {
      return Long.MIN_VALUE;
    }
    try {
      return Files.isRegularFile(t) ? Files.size(t) : 0L;
    } catch (IOException e) {
      return 0L;
    }
  }

  /** {@code FileSystem.setPermission}: refused (0) on routed paths. */
  public static int setPermission(File f, int access, boolean enable, boolean ownerOnly) {
    return target(f) == null ? -1 : 0;
  }

  /** {@code FileSystem.setReadOnly}: refused (0) on routed paths. */
  public static int setReadOnly(File f) {
    return target(f) == null ? -1 : 0;
  }

  /** {@code FileSystem.createFileExclusively}: 1 created, 0 already there. */
  public static int createFileExclusively(String path) throws IOException {
    Path t = target(path);
    if (t == null) {
      return -1;
    }
    try {
      Files.createFile(t);
      return 1;
    } catch (FileAlreadyExistsException e) {
      return 0;
    }
  }

  /** {@code FileSystem.delete}. */
  public static int delete(File f) {
    Path t = target(f);
    if (t == null) {
      return -1;
    }
    try {
      return bool(Files.deleteIfExists(t));
    } catch (IOException e) {
      return 0;
    }
  }

  /** {@code FileSystem.list}: names, or null if not a readable directory. */
  public static String[] list(File f) {
    Path t = target(f);
    if (t == null) {
      return PASS_LIST;
    }
    try (Stream<Path> s = Files.list(t)) {
      return s.map(p -> p.getFileName().toString()).toArray(String[]::new);
    } catch (IOException e) {
      return null;
    }
  }

  /** {@code FileSystem.createDirectory}. */
  public static int createDirectory(File f) {
    Path t = target(f);
    if (t == null) {
      return -1;
    }
    try {
      Files.createDirectory(t);
      return 1;
    } catch (IOException e) {
      return 0;
    }
  }

  /** {@code FileSystem.rename}: within the routed space only; replaces the target (rename(2)). */
  public static int rename(File from, File to) {
    Path a = target(from);
    Path b = target(to);
    if (a == null && b == null) {
      return -1;
    }
    if (a == null || b == null || a.getFileSystem() != b.getFileSystem()) {
      return 0;
    }
    try {
      Files.move(a, b, StandardCopyOption.REPLACE_EXISTING);
      return 1;
    } catch (IOException e) {
      return 0;
    }
  }

  /** {@code FileSystem.setLastModifiedTime}. */
  public static int setLastModified(File f, long millis) {
    Path t = target(f);
    if (t == null) {
      return -1;
    }
    try {
      Files.setLastModifiedTime(t, FileTime.fromMillis(millis));
      return 1;
    } catch (IOException e) {
      return 0;
    }
  }
}
