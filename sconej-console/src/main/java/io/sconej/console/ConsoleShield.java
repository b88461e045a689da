package io.sconej.console;

import io.sconej.crypto.SecretBytes;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The console shield: replaces {@code System.out} and/or {@code System.err} with print streams
 * whose bytes leave the JVM only as console stream records (see {@link ConsoleRecordWriter}),
 * written straight to the host's file descriptors 1 and 2.
 *
 * <p>Security guarantees: from {@link #install} on, nothing printed through {@code System.out} or
 * {@code System.err} (for the shielded kinds) reaches the host in plaintext; each stream has its
 * own random stream id and derived key; records are sealed on every print call (autoflush), so a
 * crash loses nothing already printed; {@link #close()} and a JVM shutdown hook write the END
 * records, so a reader can tell a clean exit from a cut stream or a killed process.
 *
 * <p>Restrictions: output that bypasses {@code System.out}/{@code System.err} is not shielded and
 * corrupts the capture: the JVM's own native output to fd 1/2 (e.g. {@code -Xlog} to stdout, {@code
 * hs_err} summaries, native warnings), {@code System.console()}, references to the original streams
 * taken before installation, and native code. Output printed after the END records (e.g. by a later
 * shutdown hook) is dropped, never written in plaintext. At most one shield is installed at a time.
 */
public final class ConsoleShield implements AutoCloseable {
  private static final ReentrantLock INSTALL_LOCK = new ReentrantLock();
  private static final AtomicReference<ConsoleShield> INSTALLED = new AtomicReference<>();

  private final PrintStream originalOut;
  private final PrintStream originalErr;
  private final Map<ConsoleStreamKind, ConsoleRecordWriter> writers;
  private final Map<ConsoleStreamKind, PrintStream> printers;
  private final Thread shutdownHook;

  private ConsoleShield(
      PrintStream originalOut,
      PrintStream originalErr,
      Map<ConsoleStreamKind, ConsoleRecordWriter> writers,
      Map<ConsoleStreamKind, PrintStream> printers) {
    this.originalOut = originalOut;
    this.originalErr = originalErr;
    this.writers = writers;
    this.printers = printers;
    this.shutdownHook = new Thread(this::finishInHook, "sconej-console-shield-shutdown");
  }

  /** Shields both stdout and stderr; see {@link #install(SecretBytes, Set)}. */
  public static ConsoleShield install(SecretBytes consoleKey) throws IOException {
    return install(consoleKey, Set.of(ConsoleStreamKind.STDOUT, ConsoleStreamKind.STDERR));
  }

  /**
   * Writes a header to each shielded host stream and replaces the corresponding {@code System}
   * stream. Character encoding is kept from the stream replaced.
   *
   * @param consoleKey the session's 32-byte console key (only per-stream derived keys are kept)
   * @param kinds which streams to shield (at least one)
   * @throws IllegalStateException if a shield is already installed (then nothing is written)
   * @throws IllegalArgumentException for a key that is not 32 bytes or an empty {@code kinds}
   * @throws IOException if a header cannot be written (then nothing is replaced)
   */
  public static ConsoleShield install(SecretBytes consoleKey, Set<ConsoleStreamKind> kinds)
      throws IOException {
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("no console stream to shield");
    }
    INSTALL_LOCK.lock();
    try {
      if (INSTALLED.get() != null) {
        throw new IllegalStateException("a console shield is already installed");
      }
      PrintStream out = System.out;
      PrintStream err = System.err;
      Map<ConsoleStreamKind, ConsoleRecordWriter> writers = new EnumMap<>(ConsoleStreamKind.class);
      Map<ConsoleStreamKind, PrintStream> printers = new EnumMap<>(ConsoleStreamKind.class);
      for (ConsoleStreamKind k : kinds) {
        PrintStream original = k == ConsoleStreamKind.STDOUT ? out : err;
        FileDescriptor fd = k == ConsoleStreamKind.STDOUT ? FileDescriptor.out : FileDescriptor.err;
        original.flush();
        ConsoleRecordWriter w = ConsoleRecordWriter.open(new FileOutputStream(fd), consoleKey, k);
        writers.put(k, w);
        printers.put(k, new PrintStream(w, true, original.charset()));
      }
      ConsoleShield shield = new ConsoleShield(out, err, writers, printers);
      INSTALLED.set(shield);
      Runtime.getRuntime().addShutdownHook(shield.shutdownHook);
      if (printers.containsKey(ConsoleStreamKind.STDOUT)) {
        System.setOut(printers.get(ConsoleStreamKind.STDOUT));
      }
      if (printers.containsKey(ConsoleStreamKind.STDERR)) {
        System.setErr(printers.get(ConsoleStreamKind.STDERR));
      }
      return shield;
    } finally {
      INSTALL_LOCK.unlock();
    }
  }

  /** The {@code System.out} that was in place before installation (writes plaintext). */
  public PrintStream originalOut() {
    return originalOut;
  }

  /** The {@code System.err} that was in place before installation (writes plaintext). */
  public PrintStream originalErr() {
    return originalErr;
  }

  /** The shielded kinds. */
  public Set<ConsoleStreamKind> kinds() {
    return Set.copyOf(writers.keySet());
  }

  /**
   * A copy of the random stream id of a shielded stream, e.g. for the runtime to report to the CAS
   * so that a replayed capture of an earlier run can be told apart.
   *
   * @throws IllegalArgumentException if {@code kind} is not shielded
   */
  public byte[] streamId(ConsoleStreamKind kind) {
    ConsoleRecordWriter w = writers.get(kind);
    if (w == null) {
      throw new IllegalArgumentException(kind.label() + " is not shielded");
    }
    return w.streamId();
  }

  /**
   * Writes the END records, restores the original {@code System} streams and removes the shutdown
   * hook. Idempotent. Output printed afterwards through references to the shielded streams is
   * dropped.
   *
   * @throws IOException if a host stream failed, so its END record may be missing (a reader then
   *     reports truncation); the original streams are restored regardless
   */
  @Override
  public void close() throws IOException {
    IOException failure = finish();
    if (System.out == printers.get(ConsoleStreamKind.STDOUT)) {
      System.setOut(originalOut);
    }
    if (System.err == printers.get(ConsoleStreamKind.STDERR)) {
      System.setErr(originalErr);
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down: the hook runs (or ran) finish(), which is idempotent.
    }
    INSTALLED.compareAndSet(this, null);
    if (failure != null) {
      throw failure;
    }
  }

  /** In the shutdown hook there is nowhere left to report a failure: a reader sees truncation. */
  private void finishInHook() {
    finish();
  }

  /** Flushes and writes the END records; returns the first host stream failure, if any. */
  private IOException finish() {
    IOException first = null;
    for (Map.Entry<ConsoleStreamKind, ConsoleRecordWriter> e : writers.entrySet()) {
      printers.get(e.getKey()).flush();
      try {
        e.getValue().close();
      } catch (IOException ex) {
        if (first == null) {
          first = new IOException(e.getKey().label() + ": " + ex.getMessage(), ex);
        }
      }
    }
    return first;
  }
}
