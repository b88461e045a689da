package io.sconej.fileshield.nio;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A path inside a {@link SconejFileSystem}: '/'-separated, with the single root "/". Purely lexical
 * like a Unix path; there are no symbolic links inside a volume, so {@link #toRealPath} is the
 * normalised absolute path (after checking that it exists).
 *
 * <p>Refuses {@link #toFile()} (no {@code java.io.File} can name a file inside a volume) and {@link
 * #register} (no watch service).
 */
public final class SconejPath implements Path {
  private final SconejFileSystem fs;
  private final boolean absolute;
  private final List<String> names; // the empty path is one empty name

  SconejPath(SconejFileSystem fs, boolean absolute, List<String> names) {
    this.fs = fs;
    this.absolute = absolute;
    this.names = List.copyOf(names);
  }

  static SconejPath parse(SconejFileSystem fs, String first, String... more) {
    StringBuilder sb = new StringBuilder(first);
    for (String m : more) {
      if (!m.isEmpty()) {
        sb.append('/').append(m);
      }
    }
    String s = sb.toString();
    if (s.indexOf('\0') >= 0) {
      throw new InvalidPathException(s, "NUL character not allowed");
    }
    List<String> parts = new ArrayList<>();
    for (String p : s.split("/")) {
      if (!p.isEmpty()) {
        parts.add(p);
      }
    }
    boolean abs = s.startsWith("/");
    if (!abs && parts.isEmpty()) {
      parts.add("");
    }
    return new SconejPath(fs, abs, parts);
  }

  private boolean isEmptyPath() {
    return !absolute && names.size() == 1 && names.get(0).isEmpty();
  }

  /** The path inside the volume that this path names: relative, '/'-separated, "" for the root. */
  String volumePath() {
    SconejPath n = toAbsolutePath().normalize();
    return String.join("/", n.names);
  }

  @Override
  public SconejFileSystem getFileSystem() {
    return fs;
  }

  @Override
  public boolean isAbsolute() {
    return absolute;
  }

  @Override
  public Path getRoot() {
    return absolute ? fs.root() : null;
  }

  @Override
  public Path getFileName() {
    if (names.isEmpty()) {
      return null;
    }
    if (isEmptyPath()) {
      return this;
    }
    return new SconejPath(fs, false, List.of(names.get(names.size() - 1)));
  }

  @Override
  public Path getParent() {
    if (names.size() <= 1) {
      return absolute && names.size() == 1 ? fs.root() : null;
    }
    return new SconejPath(fs, absolute, names.subList(0, names.size() - 1));
  }

  @Override
  public int getNameCount() {
    return names.size();
  }

  @Override
  public Path getName(int index) {
    return subpath(index, index + 1);
  }

  @Override
  public Path subpath(int beginIndex, int endIndex) {
    if (beginIndex < 0 || endIndex > names.size() || beginIndex >= endIndex) {
      throw new IllegalArgumentException("bad subpath range " + beginIndex + ".." + endIndex);
    }
    return new SconejPath(fs, false, names.subList(beginIndex, endIndex));
  }

  @Override
  public boolean startsWith(Path other) {
    if (!(other instanceof SconejPath o) || o.fs != fs || o.absolute != absolute) {
      return false;
    }
    if (o.isEmptyPath()) {
      return isEmptyPath();
    }
    return o.names.size() <= names.size() && names.subList(0, o.names.size()).equals(o.names);
  }

  @Override
  public boolean endsWith(Path other) {
    if (!(other instanceof SconejPath o) || o.fs != fs) {
      return false;
    }
    if (o.absolute) {
      return equals(o);
    }
    if (o.isEmptyPath()) {
      return isEmptyPath();
    }
    int n = names.size();
    int k = o.names.size();
    return k <= n && names.subList(n - k, n).equals(o.names);
  }

  @Override
  public SconejPath normalize() {
    List<String> out = new ArrayList<>();
    for (String n : names) {
      if (n.equals(".") || n.isEmpty()) {
        continue;
      }
      if (n.equals("..")) {
        if (!out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
          out.remove(out.size() - 1);
          continue;
        }
        if (absolute) {
          continue; // "/.." is "/"
        }
      }
      out.add(n);
    }
    if (!absolute && out.isEmpty()) {
      out.add("");
    }
    return new SconejPath(fs, absolute, out);
  }

  @Override
  public SconejPath resolve(Path other) {
    SconejPath o = check(other);
    if (o.absolute) {
      return o;
    }
    if (o.isEmptyPath()) {
      return this;
    }
    if (isEmptyPath()) {
      return o;
    }
    List<String> all = new ArrayList<>(names);
    all.addAll(o.names);
    return new SconejPath(fs, absolute, all);
  }

  @Override
  public Path relativize(Path other) {
    SconejPath o = check(other);
    if (o.absolute != absolute) {
      throw new IllegalArgumentException("cannot relativize " + o + " against " + this);
    }
    List<String> a = isEmptyPath() ? List.of() : names;
    List<String> b = o.isEmptyPath() ? List.of() : o.names;
    int common = 0;
    while (common < a.size() && common < b.size() && a.get(common).equals(b.get(common))) {
      common++;
    }
    List<String> out = new ArrayList<>(Collections.nCopies(a.size() - common, ".."));
    out.addAll(b.subList(common, b.size()));
    if (out.isEmpty()) {
      out.add("");
    }
    return new SconejPath(fs, false, out);
  }

  @Override
  public URI toUri() {
    try {
      String ssp = fs.volumeDirectory() + "!" + toAbsolutePath();
      return new URI(SconejFileSystemProvider.SCHEME, ssp, null);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot build URI for " + this, e);
    }
  }

  @Override
  public SconejPath toAbsolutePath() {
    return absolute ? this : fs.root().resolve(this);
  }

  /** The normalised absolute path; fails with {@link NoSuchFileException} if nothing is there. */
  @Override
  public Path toRealPath(LinkOption... options) throws IOException {
    SconejPath real = toAbsolutePath().normalize();
    if (fs.stat(real).isEmpty()) {
      throw new NoSuchFileException(toString());
    }
    return real;
  }

  /** Refused: a file inside a volume has no {@code java.io.File} name. */
  @Override
  public java.io.File toFile() {
    throw new UnsupportedOperationException(
        "a path inside a sconej volume has no java.io.File form: " + this);
  }

  /** Refused: shielded files cannot be watched. */
  @Override
  public WatchKey register(
      WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
    throw new UnsupportedOperationException("watching shielded paths is not supported: " + this);
  }

  @Override
  public int compareTo(Path other) {
    return toString().compareTo(check(other).toString());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SconejPath p && p.fs == fs && p.toString().equals(toString());
  }

  @Override
  public int hashCode() {
    return Objects.hash(System.identityHashCode(fs), toString());
  }

  @Override
  public String toString() {
    String joined = String.join("/", names);
    return absolute ? "/" + joined : joined;
  }

  private SconejPath check(Path other) {
    if (!(other instanceof SconejPath o) || o.fs != fs) {
      throw new ProviderMismatchException("not a path of this sconej file system: " + other);
    }
    return o;
  }
}
