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
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
 * <p>Injected bytes (a JVM thread dump or crash banner written to the same file descriptor, or
 * bytes the host inserts) do not end verification: where the bytes at a record position are not
 * a record of the expected sequence number, the reader scans forward byte by byte for the offset
 * where the expected record authenticates (the AES-GCM tag is the boundary check: no sync marker
 * is needed), skips to it and reports the skipped bytes as a {@link ConsoleInjection} ({@code
 * INJECTED}, see {@link #injections()}); their content is never delivered. Injection never hides
 * another violation: if the next authentic record is not the expected one, the expected record
 * was altered or removed ({@code TAMPERED}); junk up to the end of the input is reported, then
 * {@code TRUNCATED}. Plaintext lines before the header are skipped the same way (see {@link
 * #open(InputStream, SecretBytes, Set)}).
 *
 * <p>Restrictions: one stream per input (stdout and stderr are captured separately). Bytes injected
 * inside a record (possible only if the shield's single write of a record is split, e.g. a pipe
 * write above PIPE_BUF) make that record {@code TAMPERED}. A length field
 * altered to point past the end of the input reads as {@code TRUNCATED}. A whole stream replaced by
 * another authentic stream under the same key (e.g. from an earlier run) verifies: compare {@link
 * #streamId()} with an expected id where that matters. Not thread-safe.
 */
public final class ConsoleRecordReader {
  /** How many records past a gap the reader looks for the missing one. */
  public static final int LOOKAHEAD_RECORDS = 1024;

  /** The longest run of plaintext lines before the header that the reader skips. */
  public static final int MAX_PREAMBLE_BYTES = 64 * 1024;

  private final ConsoleInput in;
  private final List<ConsoleInjection> injections;
  private final byte[] header;
  private final ConsoleStreamKind kind;
  private final ConsoleStreamKeys keys;
  private final Cipher cipher;
  private long expected;
  private boolean ended;
  private boolean done;
  private ConsoleViolationException failure;

  private ConsoleRecordReader(
      ConsoleInput in,
      byte[] header,
      ConsoleStreamKind kind,
      ConsoleStreamKeys keys,
      List<ConsoleInjection> injections)
      throws GeneralSecurityException {
    this.in = in;
    this.injections = injections;
    this.header = header;
    this.kind = kind;
    this.keys = keys;
    this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
  }

  /** As {@link #open(InputStream, SecretBytes, Set)} with no known start-up lines. */
  public static ConsoleRecordReader open(InputStream in, SecretBytes consoleKey)
      throws IOException {
    return open(in, consoleKey, Set.of());
  }

  /**
   * Reads and authenticates the stream header. Lines before it (at most {@value
   * #MAX_PREAMBLE_BYTES} bytes, ending in a newline right before the magic) are skipped and
   * reported as a {@link ConsoleInjection}: {@code known} if every one of them is in {@code
   * knownLines} (sconej's own start-up lines, e.g. the sim-mode warning), a violation otherwise.
   *
   * @param knownLines lines (without their newline) that the launcher writes in plaintext before
   *     the shield is installed
   * @throws ConsoleViolationException {@code NOT_A_CONSOLE_STREAM} (bad magic or version), {@code
   *     TRUNCATED} (input ends inside the header), {@code WRONG_KEY} (key check fails)
   * @throws IllegalArgumentException if the console key is not 32 bytes
   */
  public static ConsoleRecordReader open(
      InputStream in, SecretBytes consoleKey, Set<String> knownLines) throws IOException {
    ConsoleInput input = new ConsoleInput(in);
    List<ConsoleInjection> injections = new ArrayList<>();
    int pre = preamble(input);
    if (pre > 0) {
      String text = new String(input.copy(0, pre), StandardCharsets.UTF_8);
      boolean known = text.lines().allMatch(knownLines::contains);
      injections.add(new ConsoleInjection(0, pre, -1, known));
      input.skip(pre);
    }
    int n = input.available(HEADER_BYTES);
    byte[] h = Arrays.copyOf(input.copy(0, n), HEADER_BYTES);
    input.skip(n);
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
      return new ConsoleRecordReader(input, h, kind, keys, injections);
    } catch (GeneralSecurityException e) {
      throw new IOException("console stream: HKDF or AES-GCM unavailable: " + e.getMessage(), e);
    }
  }

  /**
   * The length of the plaintext lines before the header: 0 if the input starts with the magic or
   * no line within {@value #MAX_PREAMBLE_BYTES} bytes is followed by it (the header check then
   * reports the input).
   */
  private static int preamble(ConsoleInput input) throws IOException {
    byte[] magic = ConsoleStreamDescriptor.MAGIC;
    for (int p = 0; p <= MAX_PREAMBLE_BYTES && input.available(p + magic.length) == p + 4; p++) {
      if (p > 0 && input.get(p - 1) != '\n') {
        continue;
      }
      boolean match = true;
      for (int i = 0; i < magic.length && match; i++) {
        match = input.get(p + i) == magic[i];
      }
      if (match) {
        return p;
      }
    }
    return 0;
  }

  /**
   * The bytes skipped so far, in input order: sconej's known start-up lines and injected bytes
   * (the {@code INJECTED} violations the reader went past). Complete once {@link #next()} returned
   * empty or threw.
   */
  public List<ConsoleInjection> injections() {
    return List.copyOf(injections);
  }

  /** True if any skipped bytes were not sconej's known start-up lines (a violation). */
  public boolean injected() {
    return injections.stream().anyMatch(i -> !i.known());
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
    Raw r = peekRaw(0);
    byte[] plaintext = r.isRecord() ? decrypt(r) : null;
    if (plaintext == null) {
      resync(r);
      r = peekRaw(0);
      plaintext = decrypt(r);
    }
    in.skip(r.size());
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

  /**
   * At the current position there is no authentic record. If that position holds bytes that are
   * not a record of the expected sequence number, scans on for the next offset where the expected
   * record authenticates and skips to it, reporting the bytes in between as injected. Returns only
   * when positioned at the expected record; throws the violation otherwise: an altered record of
   * the expected number is {@code TAMPERED} (or {@code TRUNCATED} if cut), junk followed by
   * another authentic record is {@code TAMPERED}, junk up to the end of the input is injected and
   * then {@code TRUNCATED}.
   */
  private void resync(Raw r) throws IOException {
    if (r.status == Status.EOF) {
      throw new ConsoleViolationException(ConsoleViolation.TRUNCATED, expected, "");
    }
    if (r.status == Status.SHORT_HEADER) {
      throw new ConsoleViolationException(
          ConsoleViolation.TRUNCATED, expected, "input ends inside a record header");
    }
    // A length out of range is scanned past even with the expected sequence number: zeros (or
    // other junk) injected right before a record must not read as that record altered.
    boolean damagedRecord = (r.sequence == expected && r.status != Status.BAD_LENGTH)
        || (r.status == Status.RECORD && r.atEof);
    if (!damagedRecord) {
      // Consumed as scanned (nothing before the next authentic record is delivered either way),
      // so memory stays at one record however many bytes were injected.
      long from = in.offset();
      while (true) {
        in.skip(1);
        if (in.available(RECORD_HEADER_BYTES) < RECORD_HEADER_BYTES) {
          in.skip(in.available(RECORD_HEADER_BYTES));
          injections.add(new ConsoleInjection(from, in.offset() - from, expected, false));
          throw new ConsoleViolationException(
              ConsoleViolation.TRUNCATED,
              expected,
              (in.offset() - from)
                  + " bytes that are not part of the stream, then the input ends"
                  + (r.sequence == expected ? "; or its length field was altered" : ""));
        }
        if (!candidate(0)) {
          continue;
        }
        Raw c = peekRaw(0);
        if (c.isRecord() && decrypt(c) != null) {
          if (c.sequence != expected) {
            break;
          }
          injections.add(new ConsoleInjection(from, in.offset() - from, expected, false));
          return;
        }
      }
    }
    if (r.status == Status.BAD_LENGTH) {
      throw new ConsoleViolationException(
          ConsoleViolation.TAMPERED, expected, "record length " + r.length + " out of range");
    }
    if (r.status == Status.SHORT_BODY) {
      throw new ConsoleViolationException(
          ConsoleViolation.TRUNCATED,
          expected,
          "input ends inside a record, "
              + r.sealed.length
              + " of "
              + r.length
              + " bytes present; or its length field was altered");
    }
    throw new ConsoleViolationException(ConsoleViolation.TAMPERED, expected, "");
  }

  /**
   * Whether distance {@code d} could start a record of this stream: a length in range and a
   * sequence number from 0 to {@value #LOOKAHEAD_RECORDS} past the expected one (checked before
   * anything is decrypted). The caller made the record header available.
   */
  private boolean candidate(int d) {
    long length = 0;
    for (int i = 0; i < 4; i++) {
      length = length << 8 | in.get(d + i);
    }
    long sequence = 0;
    for (int i = 4; i < 12; i++) {
      sequence = sequence << 8 | in.get(d + i);
    }
    return length >= TAG_BYTES
        && length <= ConsoleStreamDescriptor.MAX_PAYLOAD_BYTES + TAG_BYTES
        && sequence >= 0
        && sequence <= expected + LOOKAHEAD_RECORDS;
  }

  /** After the END record the input must end; classifies whatever follows instead. */
  private void afterEnd() throws IOException {
    Raw r = peekRaw(0);
    if (r.status == Status.EOF) {
      return;
    }
    if (r.isRecord() && decrypt(r) != null && r.sequence < expected) {
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
      Raw r = peekRaw(0);
      if (!r.isRecord()) {
        return false;
      }
      in.skip(r.size());
      if (r.sequence == sequence && decrypt(r) != null) {
        return true;
      }
    }
    return false;
  }

  private enum Status {
    RECORD,
    EOF,
    SHORT_HEADER,
    BAD_LENGTH,
    SHORT_BODY
  }

  /**
   * What lies at distance {@code at} from the current position, unconsumed.
   *
   * @param atEof for a RECORD, whether the input ends right after it
   */
  private record Raw(
      Status status,
      byte[] recordHeader,
      long length,
      long sequence,
      boolean end,
      byte[] sealed,
      boolean atEof) {
    boolean isRecord() {
      return status == Status.RECORD;
    }

    int size() {
      return RECORD_HEADER_BYTES + sealed.length;
    }
  }

  private Raw peekRaw(int at) throws IOException {
    int n = in.available(at + RECORD_HEADER_BYTES) - at;
    if (n <= 0) {
      return new Raw(Status.EOF, null, 0, -1, false, null, true);
    }
    if (n < RECORD_HEADER_BYTES) {
      return new Raw(Status.SHORT_HEADER, null, 0, -1, false, null, true);
    }
    byte[] rh = in.copy(at, RECORD_HEADER_BYTES);
    ByteBuffer b = ByteBuffer.wrap(rh);
    long length = Integer.toUnsignedLong(b.getInt());
    long sequence = b.getLong();
    boolean end = ((b.get() & 0xff) & ConsoleStreamDescriptor.FLAG_END) != 0;
    if (length < TAG_BYTES || length > ConsoleStreamDescriptor.MAX_PAYLOAD_BYTES + TAG_BYTES) {
      return new Raw(Status.BAD_LENGTH, rh, length, sequence, end, null, false);
    }
    int total = at + RECORD_HEADER_BYTES + (int) length;
    int got = in.available(total + 1);
    int body = at + RECORD_HEADER_BYTES;
    byte[] sealed = in.copy(body, Math.min(got, total) - body);
    if (got < total) {
      return new Raw(Status.SHORT_BODY, rh, length, sequence, end, sealed, true);
    }
    return new Raw(Status.RECORD, rh, length, sequence, end, sealed, got == total);
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
