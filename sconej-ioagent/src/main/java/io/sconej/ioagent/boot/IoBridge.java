package io.sconej.ioagent.boot;

import java.io.File;
import java.io.FileDescriptor;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The bridge that the transformed {@code FileInputStream}, {@code FileOutputStream} and {@code
 * RandomAccessFile} call. It is loaded by the bootstrap class loader (the agent appends its jar to
 * the boot class path), so that code in {@code java.base} can link to it.
 *
 * <p>Guarantees: with no router installed, or for a path the router answers {@link Route.Host}, the
 * JDK's own code runs unchanged. A path answered {@link Route.To} is opened on the router's channel
 * and every later operation on that stream is served by that channel; the host sees only an empty
 * scratch file opened in its place (so that {@code getFD().valid()} and {@code getFilePointer()}
 * keep working). A path answered {@link Route.Refuse} fails to open with a {@link
 * FileNotFoundException} that names the path and the reason.
 *
 * <p>Refusals: {@link #install} may be called once per JVM. Operations that the router itself
 * triggers on its own thread (for instance loading its classes from jars) are never routed.
 *
 * <p>The public static methods other than {@link #install}, {@link #installed} and {@link
 * #scratchPath} are entry points for transformed JDK code, not an application API.
 */
public final class IoBridge {
  private static final int O_RDONLY = 1;
  private static final int O_SYNC = 4;
  private static final int O_DSYNC = 8;
  private static final Map<FileDescriptor, Shielded> STREAMS =
      Collections.synchronizedMap(new WeakHashMap<>());
  private static final ThreadLocal<int[]> DEPTH = new Depth();
  private static volatile Router router;
  private static volatile String scratch;

  private IoBridge() {}

  /**
   * Installs the router that decides which paths are shielded. Call it before the application's
   * {@code main}. Creates the empty host scratch file (deleted at exit) first, then warms the
   * router up with {@code route("/")}.
   *
   * @throws IllegalStateException if a router is already installed
   * @throws IOException if the scratch file cannot be created
   */
  public static synchronized void install(Router r) throws IOException {
    Objects.requireNonNull(r, "router");
    if (router != null) {
      throw new IllegalStateException("an io router is already installed");
    }
    File f = File.createTempFile("sconej-ioagent-", ".scratch");
    f.deleteOnExit();
    scratch = f.getPath();
    Objects.requireNonNull(r.route("/"), "router answered null for /");
    router = r;
  }

  /** Returns whether a router is installed. */
  public static boolean installed() {
    return router != null;
  }

  /** Returns the host path of the empty scratch file that shielded streams hold open. */
  public static String scratchPath() {
    return scratch;
  }

  /** Decides the route of {@code name}; {@link Route.Host} without a router or when re-entered. */
  static Route decide(String name) {
    Router r = router;
    if (r == null || DEPTH.get()[0] > 0) {
      return Route.host();
    }
    String abs = PathNames.absolute(name);
    int[] depth = DEPTH.get();
    depth[0]++;
    try {
      return Objects.requireNonNull(r.route(abs), "router answered null");
    } finally {
      depth[0]--;
    }
  }

  /** Opens a routed channel with the router, marking the thread as inside the router. */
  static SeekableByteChannel open(Route.To to, Set<StandardOpenOption> options) throws IOException {
    int[] depth = DEPTH.get();
    depth[0]++;
    try {
      return router.open(to.target(), options);
    } finally {
      depth[0]--;
    }
  }

  private static boolean open(FileDescriptor fd, String name, Set<StandardOpenOption> options,
      boolean append) throws FileNotFoundException {
    Route route = decide(name);
    if (route instanceof Route.Host) {
      return false;
    }
    if (route instanceof Route.Refuse(String reason)) {
      throw new FileNotFoundException(
          name + " (refused by the sconej file shield: " + reason + ")");
    }
    Route.To to = (Route.To) route;
    try {
      SeekableByteChannel ch = open(to, options);
      STREAMS.put(fd, new Shielded(fd, name, ch, append));
      return true;
    } catch (IOException e) {
      FileNotFoundException fnf = new FileNotFoundException(
          name + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
      fnf.initCause(e);
      throw fnf;
    }
  }

  /** Entry point for {@code FileInputStream.open}: returns true if the path was routed. */
  public static boolean openRead(FileDescriptor fd, String name) throws FileNotFoundException {
    return router != null && open(fd, name, EnumSet.of(StandardOpenOption.READ), false);
  }

  /** Entry point for {@code FileOutputStream.open}: returns true if the path was routed. */
  public static boolean openWrite(FileDescriptor fd, String name, boolean append)
      throws FileNotFoundException {
    if (router == null) {
      return false;
    }
    Set<StandardOpenOption> o = EnumSet.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE);
    o.add(append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
    return open(fd, name, o, append);
  }

  /** Entry point for {@code RandomAccessFile.open}: returns true if the path was routed. */
  public static boolean openRandom(FileDescriptor fd, String name, int imode)
      throws FileNotFoundException {
    if (router == null) {
      return false;
    }
    Set<StandardOpenOption> o = EnumSet.of(StandardOpenOption.READ);
    if ((imode & O_RDONLY) == 0) {
      o.add(StandardOpenOption.WRITE);
      o.add(StandardOpenOption.CREATE);
    }
    if ((imode & O_SYNC) != 0) {
      o.add(StandardOpenOption.SYNC);
    }
    if ((imode & O_DSYNC) != 0) {
      o.add(StandardOpenOption.DSYNC);
    }
    return open(fd, name, o, false);
  }

  private static Shielded state(FileDescriptor fd) throws IOException {
    Shielded s = STREAMS.get(fd);
    if (s == null) {
      throw new IOException("Stream Closed");
    }
    return s;
  }

  private static SeekableByteChannel ch(FileDescriptor fd) throws IOException {
    return state(fd).open();
  }

  /** Reads one byte, or -1 at the end. */
  public static int read(FileDescriptor fd) throws IOException {
    byte[] one = new byte[1];
    int n = read(fd, one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  /** Reads into the whole array. */
  public static int read(FileDescriptor fd, byte[] b) throws IOException {
    return read(fd, b, 0, b.length);
  }

  /** Reads up to {@code len} bytes; blocks until at least one byte or the end. */
  public static int read(FileDescriptor fd, byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    SeekableByteChannel ch = ch(fd);
    if (len == 0) {
      return 0;
    }
    ByteBuffer buf = ByteBuffer.wrap(b, off, len);
    int n;
    do {
      n = ch.read(buf);
    } while (n == 0);
    return n;
  }

  /** {@code RandomAccessFile.readLine}: bytes as Latin-1 up to \n, \r or \r\n; null at the end. */
  public static String readLine(FileDescriptor fd) throws IOException {
    SeekableByteChannel ch = ch(fd);
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = read(fd)) != -1 && c != '\n') {
      if (c == '\r') {
        long cur = ch.position();
        if (read(fd) != '\n') {
          ch.position(cur);
        }
        return line.toString();
      }
      line.append((char) c);
    }
    return c == -1 && line.isEmpty() ? null : line.toString();
  }

  /** Writes one byte. */
  public static void write(FileDescriptor fd, int b) throws IOException {
    write(fd, new byte[] {(byte) b}, 0, 1);
  }

  /** Writes the whole array. */
  public static void write(FileDescriptor fd, byte[] b) throws IOException {
    write(fd, b, 0, b.length);
  }

  /** Writes all {@code len} bytes (at the end of the file for append streams). */
  public static void write(FileDescriptor fd, byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    Shielded s = state(fd);
    SeekableByteChannel ch = s.open();
    ByteBuffer buf = ByteBuffer.wrap(b, off, len);
    synchronized (s) {
      if (s.append) {
        ch.position(ch.size());
      }
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
    }
  }

  /** Moves the position by {@code n} (possibly past the end); refuses a negative result. */
  public static long skip(FileDescriptor fd, long n) throws IOException {
    SeekableByteChannel ch = ch(fd);
    long pos = ch.position();
    long target = pos + n;
    if (target < 0) {
      throw new IOException("Invalid argument: cannot skip before the start");
    }
    ch.position(target);
    return n;
  }

  /** Returns the bytes left before the end, capped at {@code Integer.MAX_VALUE}. */
  public static int available(FileDescriptor fd) throws IOException {
    SeekableByteChannel ch = ch(fd);
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, ch.size() - ch.position()));
  }

  /** Sets the position. */
  public static void seek(FileDescriptor fd, long pos) throws IOException {
    if (pos < 0) {
      throw new IOException("Negative seek offset");
    }
    ch(fd).position(pos);
  }

  /** Returns the current position (the agent mirrors it into the scratch descriptor). */
  public static long position(FileDescriptor fd) throws IOException {
    return ch(fd).position();
  }

  /** Counts how deep the current thread is inside the router (no lambda: start-up cost). */
  private static final class Depth extends ThreadLocal<int[]> {
    @Override
    protected int[] initialValue() {
      return new int[1];
    }
  }

  /** Returns the file's length. */
  public static long length(FileDescriptor fd) throws IOException {
    return ch(fd).size();
  }

  /** Truncates or extends (with zeros) the file; the position never exceeds the new length. */
  public static void setLength(FileDescriptor fd, long newLength) throws IOException {
    Shielded s = state(fd);
    SeekableByteChannel ch = s.open();
    synchronized (s) {
      long size = ch.size();
      long pos = ch.position();
      if (newLength < size) {
        ch.truncate(newLength);
        ch.position(Math.min(pos, newLength));
      } else if (newLength > size) {
        ch.position(newLength - 1);
        ch.write(ByteBuffer.wrap(new byte[1]));
        ch.position(pos);
      }
    }
  }

  /** Closes the routed channel; idempotent. */
  public static void close(FileDescriptor fd) {
    Shielded s = STREAMS.get(fd);
    if (s != null) {
      s.close();
    }
  }

  /** Returns the stream's channel: the router's own if it is a {@code FileChannel}. */
  public static FileChannel channel(FileDescriptor fd) {
    Shielded s = STREAMS.get(fd);
    if (s == null) {
      throw new IllegalStateException("no shielded channel for this descriptor");
    }
    return s.fileChannel();
  }
}
