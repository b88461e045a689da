package io.sconej.console;

import static io.sconej.console.ConsoleStreamDescriptor.HEADER_BYTES;
import static io.sconej.console.ConsoleStreamDescriptor.HEADER_MAC_OFFSET;
import static io.sconej.console.ConsoleStreamDescriptor.RECORD_HEADER_BYTES;
import static io.sconej.console.ConsoleStreamDescriptor.TAG_BYTES;

import io.sconej.crypto.ConstantTime;
import io.sconej.crypto.Hex;
import io.sconej.crypto.SecretBytes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Verifies and decrypts a console stream (layout in {@link ConsoleStreamDescriptor}) record by
 * record, in order.
 *
 * <p>Security guarantees: a record's payload is returned only after it authenticates under this
 * stream's key, with its header fields, and carries exactly the next sequence number; the stream is
 * complete only when an END record was read and nothing follows it. Every deviation is a {@link
 * ConsoleViolationException} naming the record position and the {@link ConsoleViolation}: a cut
 * stream is {@code TRUNCATED}, an authentic record seen again is {@code DUPLICATED}, an authentic
 * later record in place of the expected one is {@code REORDERED} if the expected one follows within
 * {@value #LOOKAHEAD_RECORDS} records and {@code DROPPED} otherwise; anything failing
 * authentication (including records of another stream) is {@code TAMPERED}. After a violation the
 * reader refuses every further read.
 *
 * <p>Restrictions: one stream per input (stdout and stderr are captured separately). A length field
 * altered to point past the end of the input reads as {@code TRUNCATED}. A whole stream replaced by
 * another authentic stream under the same key (e.g. from an earlier run) verifies: compare {@link
 * #streamId()} with an expected id where that matters. Not thread-safe.
 */
public final class ConsoleRecordReader {
  /** How many records past a gap the reader looks for the missing one. */
  public static final int LOOKAHEAD_RECORDS = 1024;

  private final InputStream in;
  private final byte[] header;
  private final ConsoleStreamKind kind;
  private final ConsoleStreamKeys keys;
  private final Cipher cipher;
  private long expected;
  private boolean ended;
  private boolean done;
  private ConsoleViolationException failure;

  private ConsoleRecordReader(
      InputStream in, byte[] header, ConsoleStreamKind kind, ConsoleStreamKeys keys)
      throws GeneralSecurityException {
    this.in = in;
    this.header = header;
    this.kind = kind;
    this.keys = keys;
    this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
  }

  /**
   * Reads and authenticates the stream header.
   *
   * @throws ConsoleViolationException {@code NOT_A_CONSOLE_STREAM} (bad magic or version), {@code
   *     TRUNCATED} (input ends inside the header), {@code WRONG_KEY} (key check fails)
   * @throws IllegalArgumentException if the console key is not 32 bytes
   */
  public static ConsoleRecordReader open(InputStream in, SecretBytes consoleKey)
      throws IOException {
    byte[] h = new byte[HEADER_BYTES];
    int n = in.readNBytes(h, 0, HEADER_BYTES);
    int magicSeen = Math.min(n, 4);
    if (!Arrays.equals(h, 0, magicSeen, ConsoleStreamDescriptor.MAGIC, 0, magicSeen)) {
      throw new ConsoleViolationException(ConsoleViolation.NOT_A_CONSOLE_STREAM, -1, "bad magic");
    }
    if (n > ConsoleStreamDescriptor.VERSION_OFFSET
        && h[ConsoleStreamDescriptor.VERSION_OFFSET] != ConsoleStreamDescriptor.VERSION) {
      throw new ConsoleViolationException(
          ConsoleViolation.NOT_A_CONSOLE_STREAM,
          -1,
          "unsupported version " + (h[ConsoleStreamDescriptor.VERSION_OFFSET] & 0xff));
    }
    if (n < HEADER_BYTES) {
      throw new ConsoleViolationException(
          ConsoleViolation.TRUNCATED, -1, "input ends inside the header after " + n + " bytes");
    }
    byte[] streamId =
        Arrays.copyOfRange(h, ConsoleStreamDescriptor.STREAM_ID_OFFSET, HEADER_MAC_OFFSET);
    try {
      ConsoleStreamKeys keys = ConsoleStreamKeys.derive(consoleKey, streamId);
      byte[] mac = keys.headerMac(h);
      if (!ConstantTime.equal(mac, Arrays.copyOfRange(h, HEADER_MAC_OFFSET, HEADER_BYTES))) {
        throw new ConsoleViolationException(ConsoleViolation.WRONG_KEY, -1, "");
      }
      ConsoleStreamKind kind;
      try {
        kind = ConsoleStreamKind.ofCode(h[ConsoleStreamDescriptor.KIND_OFFSET] & 0xff);
      } catch (IllegalArgumentException e) {
        throw new ConsoleViolationException(
            ConsoleViolation.NOT_A_CONSOLE_STREAM, -1, e.getMessage());
      }
      return new ConsoleRecordReader(in, h, kind, keys);
    } catch (GeneralSecurityException e) {
      throw new IOException("console stream: HKDF or AES-GCM unavailable: " + e.getMessage(), e);
    }
  }

  /** The stream's kind, from its authenticated header. */
  public ConsoleStreamKind kind() {
    return kind;
  }

  /** A copy of the stream's random id, from its authenticated header. */
  public byte[] streamId() {
    return Arrays.copyOfRange(header, ConsoleStreamDescriptor.STREAM_ID_OFFSET, HEADER_MAC_OFFSET);
  }

  /** The stream id as 32 lower-case hex characters. */
  public String streamIdHex() {
    return Hex.encode(streamId());
  }

  /**
   * The next record in sequence, or empty once the END record has been read and the input ends
   * right after it.
   *
   * @throws ConsoleViolationException at the first violation, and again on every later call
   * @throws IOException if the input itself fails
   */
  public Optional<ConsoleRecord> next() throws IOException {
    if (failure != null) {
      throw failure;
    }
    if (done) {
      return Optional.empty();
    }
    try {
      if (ended) {
        afterEnd();
        done = true;
        return Optional.empty();
      }
      return Optional.of(nextInOrder());
    } catch (ConsoleViolationException e) {
      failure = e;
      throw e;
    }
  }

  /**
   * Writes every verified payload to {@code out}, flushing after each record, until the END record;
   * the payload of a violated record and of everything after it is never written.
   *
   * @return the number of plaintext bytes written
   * @throws ConsoleViolationException at the first violation, after all earlier payloads
   */
  public long transferTo(OutputStream out) throws IOException {
    long total = 0;
    for (Optional<ConsoleRecord> r = next(); r.isPresent(); r = next()) {
      out.write(r.get().payload());
      out.flush();
      total += r.get().payload().length;
    }
    return total;
  }

  private ConsoleRecord nextInOrder() throws IOException {
    Raw r = readRaw(expected);
    if (r == null) {
      throw new ConsoleViolationException(ConsoleViolation.TRUNCATED, expected, "");
    }
    byte[] plaintext = decrypt(r);
    if (plaintext == null) {
      throw new ConsoleViolationException(ConsoleViolation.TAMPERED, expected, "");
    }
    if (r.sequence < expected) {
      throw new ConsoleViolationException(
          ConsoleViolation.DUPLICATED, expected, "record " + r.sequence + " found again");
    }
    if (r.sequence > expected) {
      if (laterRecordIs(expected)) {
        throw new ConsoleViolationException(
            ConsoleViolation.REORDERED,
            expected,
            "record " + r.sequence + " found in its place, record " + expected + " comes later");
      }
      throw new ConsoleViolationException(
          ConsoleViolation.DROPPED,
          expected,
          "record "
              + r.sequence
              + " found in its place, record "
              + expected
              + " does not follow within "
              + LOOKAHEAD_RECORDS
              + " records");
    }
    expected++;
    ended = r.end;
    return new ConsoleRecord(r.sequence, r.end, plaintext);
  }

  /** After the END record the input must end; classifies whatever follows instead. */
  private void afterEnd() throws IOException {
    Raw r;
    try {
      r = readRaw(expected);
    } catch (ConsoleViolationException e) {
      throw new ConsoleViolationException(
          ConsoleViolation.TAMPERED, expected, "unauthenticated bytes after the end record");
    }
    if (r == null) {
      return;
    }
    if (decrypt(r) != null && r.sequence < expected) {
      throw new ConsoleViolationException(
          ConsoleViolation.DUPLICATED,
          expected,
          "record " + r.sequence + " found again after the end record");
    }
    throw new ConsoleViolationException(
        ConsoleViolation.TAMPERED, expected, "unauthenticated bytes after the end record");
  }

  /** Scans up to LOOKAHEAD_RECORDS further records for an authentic one with {@code sequence}. */
  private boolean laterRecordIs(long sequence) throws IOException {
    for (int i = 0; i < LOOKAHEAD_RECORDS; i++) {
      Raw r;
      try {
        r = readRaw(sequence);
      } catch (ConsoleViolationException e) {
        return false;
      }
      if (r == null) {
        return false;
      }
      if (r.sequence == sequence && decrypt(r) != null) {
        return true;
      }
    }
    return false;
  }

  private record Raw(byte[] recordHeader, long sequence, boolean end, byte[] sealed) {}

  /** Reads one record's bytes, or null at end of input exactly at a record boundary. */
  private Raw readRaw(long position) throws IOException {
    byte[] rh = new byte[RECORD_HEADER_BYTES];
    int n = in.readNBytes(rh, 0, RECORD_HEADER_BYTES);
    if (n == 0) {
      return null;
    }
    if (n < RECORD_HEADER_BYTES) {
      throw new ConsoleViolationException(
          ConsoleViolation.TRUNCATED, position, "input ends inside a record header");
    }
    ByteBuffer b = ByteBuffer.wrap(rh);
    long length = Integer.toUnsignedLong(b.getInt());
    long sequence = b.getLong();
    int flags = b.get() & 0xff;
    if (length < TAG_BYTES || length > ConsoleStreamDescriptor.MAX_PAYLOAD_BYTES + TAG_BYTES) {
      throw new ConsoleViolationException(
          ConsoleViolation.TAMPERED, position, "record length " + length + " out of range");
    }
    byte[] sealed = in.readNBytes((int) length);
    if (sealed.length < length) {
      throw new ConsoleViolationException(
          ConsoleViolation.TRUNCATED,
          position,
          "input ends inside a record, "
              + sealed.length
              + " of "
              + length
              + " bytes present; or its length field was altered");
    }
    return new Raw(rh, sequence, (flags & ConsoleStreamDescriptor.FLAG_END) != 0, sealed);
  }

  /** The payload if the record authenticates as a record of this stream, else null. */
  private byte[] decrypt(Raw r) throws IOException {
    try {
      cipher.init(
          Cipher.DECRYPT_MODE,
          keys.recordKey(),
          new GCMParameterSpec(TAG_BYTES * 8, ConsoleStreamDescriptor.nonce(r.sequence)));
      cipher.updateAAD(header, 0, HEADER_MAC_OFFSET);
      cipher.updateAAD(r.recordHeader);
      return cipher.doFinal(r.sealed);
    } catch (AEADBadTagException e) {
      return null;
    } catch (GeneralSecurityException e) {
      throw new IOException("console stream: AES-GCM failed: " + e, e);
    }
  }
}
