package io.sconej.console;

import static io.sconej.console.ConsoleStreamDescriptor.HEADER_BYTES;
import static io.sconej.console.ConsoleStreamDescriptor.HEADER_MAC_OFFSET;
import static io.sconej.console.ConsoleStreamDescriptor.RECORD_HEADER_BYTES;
import static io.sconej.console.ConsoleStreamDescriptor.TAG_BYTES;

import io.sconej.crypto.Rng;
import io.sconej.crypto.SecretBytes;
import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts what is written to it into a console stream (layout in {@link ConsoleStreamDescriptor})
 * on an untrusted sink.
 *
 * <p>Flush policy: bytes are buffered in the enclave and sealed into one record when the caller
 * flushes (a {@code PrintStream} with autoflush flushes on every print call), when the buffer
 * reaches the payload size, and on close. Each record reaches the sink in one {@code write} call
 * followed by a sink flush, so a crash loses at most the bytes not yet flushed. Empty flushes write
 * nothing.
 *
 * <p>Security guarantees: the header is written at once; every record is AES-256-GCM under a key
 * derived for this stream alone (fresh random stream id), its nonce is the sequence number (never
 * reused: the counter is advanced before the record is sealed, and after any sink failure the
 * writer refuses further writes); {@link #close()} writes a record with the END flag, so that a
 * reader detects truncation at a record boundary. Plaintext is zeroed from the buffer once sealed.
 *
 * <p>Restrictions: nothing written after {@link #close()} reaches the sink (writes throw). The sink
 * is flushed but never closed by this class. Thread-safe (one lock, no {@code synchronized}).
 */
public final class ConsoleRecordWriter extends OutputStream {
  private final ReentrantLock lock = new ReentrantLock();
  private final OutputStream sink;
  private final ConsoleStreamKind kind;
  private final byte[] header;
  private final ConsoleStreamKeys keys;
  private final Cipher cipher;
  private final byte[] buffer;
  private int count;
  private long nextSequence;
  private boolean closed;
  private boolean failed;

  private ConsoleRecordWriter(
      OutputStream sink, ConsoleStreamKind kind, byte[] header, ConsoleStreamKeys keys, int max)
      throws GeneralSecurityException {
    this.sink = sink;
    this.kind = kind;
    this.header = header;
    this.keys = keys;
    this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
    this.buffer = new byte[max];
  }

  /** Opens a writer with the default payload size; see the other overload. */
  public static ConsoleRecordWriter open(
      OutputStream sink, SecretBytes consoleKey, ConsoleStreamKind kind) throws IOException {
    return open(sink, consoleKey, kind, ConsoleStreamDescriptor.DEFAULT_PAYLOAD_BYTES);
  }

  /**
   * Draws a fresh stream id, derives the stream's keys and writes the header to {@code sink}.
   *
   * @param consoleKey the session's 32-byte console key (not retained; only derived keys are)
   * @param maxPayloadBytes the payload size at which a record is sealed without a flush, 1 ..
   *     {@link ConsoleStreamDescriptor#MAX_PAYLOAD_BYTES}
   * @throws IllegalArgumentException for a key that is not 32 bytes or a payload size out of range
   * @throws IOException if the header cannot be written or the JDK lacks HKDF or AES-GCM
   */
  public static ConsoleRecordWriter open(
      OutputStream sink, SecretBytes consoleKey, ConsoleStreamKind kind, int maxPayloadBytes)
      throws IOException {
    if (maxPayloadBytes < 1 || maxPayloadBytes > ConsoleStreamDescriptor.MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException(
          "maxPayloadBytes must be 1.."
              + ConsoleStreamDescriptor.MAX_PAYLOAD_BYTES
              + ", is "
              + maxPayloadBytes);
    }
    return open(
        sink,
        consoleKey,
        kind,
        maxPayloadBytes,
        Rng.bytes(ConsoleStreamDescriptor.STREAM_ID_BYTES));
  }

  /** As above with a given stream id: for known-answer tests only, ids must be fresh. */
  static ConsoleRecordWriter open(
      OutputStream sink,
      SecretBytes consoleKey,
      ConsoleStreamKind kind,
      int maxPayloadBytes,
      byte[] streamId)
      throws IOException {
    byte[] header = new byte[HEADER_BYTES];
    System.arraycopy(ConsoleStreamDescriptor.MAGIC, 0, header, 0, 4);
    header[ConsoleStreamDescriptor.VERSION_OFFSET] = (byte) ConsoleStreamDescriptor.VERSION;
    header[ConsoleStreamDescriptor.KIND_OFFSET] = (byte) kind.code();
    System.arraycopy(
        streamId, 0, header, ConsoleStreamDescriptor.STREAM_ID_OFFSET, streamId.length);
    ConsoleRecordWriter w;
    try {
      ConsoleStreamKeys keys = ConsoleStreamKeys.derive(consoleKey, streamId);
      byte[] mac = keys.headerMac(header);
      System.arraycopy(mac, 0, header, HEADER_MAC_OFFSET, mac.length);
      w = new ConsoleRecordWriter(sink, kind, header, keys, maxPayloadBytes);
    } catch (GeneralSecurityException e) {
      throw new IOException("console shield: HKDF or AES-GCM unavailable: " + e.getMessage(), e);
    }
    sink.write(header);
    sink.flush();
    return w;
  }

  /** The stream's kind, as written in its header. */
  public ConsoleStreamKind kind() {
    return kind;
  }

  /** A copy of the stream's random id. */
  public byte[] streamId() {
    return Arrays.copyOfRange(
        header,
        ConsoleStreamDescriptor.STREAM_ID_OFFSET,
        ConsoleStreamDescriptor.STREAM_ID_OFFSET + ConsoleStreamDescriptor.STREAM_ID_BYTES);
  }

  /** The number of records written so far (the next sequence number). */
  public long recordsWritten() {
    lock.lock();
    try {
      return nextSequence;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void write(int b) throws IOException {
    lock.lock();
    try {
      ensureWritable();
      buffer[count++] = (byte) b;
      if (count == buffer.length) {
        seal(false);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    lock.lock();
    try {
      ensureWritable();
      while (len > 0) {
        int n = Math.min(len, buffer.length - count);
        System.arraycopy(b, off, buffer, count, n);
        count += n;
        off += n;
        len -= n;
        if (count == buffer.length) {
          seal(false);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Seals the buffered bytes (if any) into one record and flushes the sink. */
  @Override
  public void flush() throws IOException {
    lock.lock();
    try {
      ensureWritable();
      if (count > 0) {
        seal(false);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Seals the buffered bytes into the END record and flushes the sink; later calls do nothing. The
   * sink stays open.
   */
  @Override
  public void close() throws IOException {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      ensureWritable();
      seal(true);
      closed = true;
    } finally {
      lock.unlock();
    }
  }

  private void ensureWritable() throws IOException {
    if (failed) {
      throw new IOException("console stream failed earlier; refusing further writes");
    }
    if (closed) {
      throw new IOException("console stream is closed (its end record is written)");
    }
  }

  /** Caller holds the lock. Advances the sequence before sealing, so no nonce is ever reused. */
  private void seal(boolean end) throws IOException {
    if (nextSequence == Long.MAX_VALUE) {
      failed = true;
      throw new IOException("console stream sequence numbers exhausted");
    }
    long seq = nextSequence++;
    byte[] record = new byte[RECORD_HEADER_BYTES + count + TAG_BYTES];
    ConsoleStreamDescriptor.putRecordHeader(record, count, seq, end);
    try {
      cipher.init(
          Cipher.ENCRYPT_MODE,
          keys.recordKey(),
          new GCMParameterSpec(TAG_BYTES * 8, ConsoleStreamDescriptor.nonce(seq)));
      cipher.updateAAD(header, 0, HEADER_MAC_OFFSET);
      cipher.updateAAD(record, 0, RECORD_HEADER_BYTES);
      cipher.doFinal(buffer, 0, count, record, RECORD_HEADER_BYTES);
    } catch (GeneralSecurityException e) {
      failed = true;
      throw new IOException("console stream: sealing record " + seq + " failed: " + e, e);
    } finally {
      Arrays.fill(buffer, 0, count, (byte) 0);
      count = 0;
    }
    try {
      sink.write(record);
      sink.flush();
    } catch (IOException e) {
      failed = true;
      throw e;
    }
  }
}
