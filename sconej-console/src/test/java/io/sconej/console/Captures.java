package io.sconej.console;

import io.sconej.crypto.SecretBytes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: write captured streams, split them into records, decrypt with the reader. */
final class Captures {
  private Captures() {}

  /** A decryption outcome: the plaintext delivered, and the violation if there was one. */
  record Decoded(byte[] plaintext, ConsoleViolationException violation) {
    String text() {
      return new String(plaintext, StandardCharsets.UTF_8);
    }

    ConsoleViolation kind() {
      return violation == null ? null : violation.violation();
    }
  }

  /** Writes each chunk as one record (write + flush), then the END record if {@code close}. */
  static byte[] capture(SecretBytes key, boolean close, String... chunks) {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try {
      ConsoleRecordWriter w = ConsoleRecordWriter.open(sink, key, ConsoleStreamKind.STDOUT);
      for (String c : chunks) {
        w.write(c.getBytes(StandardCharsets.UTF_8));
        w.flush();
      }
      if (close) {
        w.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sink.toByteArray();
  }

  /** The [offset, length] of every record after the header. */
  static List<int[]> records(byte[] stream) {
    List<int[]> out = new ArrayList<>();
    int off = ConsoleStreamDescriptor.HEADER_BYTES;
    while (off < stream.length) {
      int len =
          ConsoleStreamDescriptor.RECORD_HEADER_BYTES + ByteBuffer.wrap(stream, off, 4).getInt();
      out.add(new int[] {off, len});
      off += len;
    }
    return out;
  }

  /** The header followed by the records at the given indexes, in that order. */
  static byte[] assemble(byte[] stream, int... recordIndexes) {
    List<int[]> recs = records(stream);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(stream, 0, ConsoleStreamDescriptor.HEADER_BYTES);
    for (int i : recordIndexes) {
      b.write(stream, recs.get(i)[0], recs.get(i)[1]);
    }
    return b.toByteArray();
  }

  /** Decrypts everything the reader delivers until the end or the first violation. */
  static Decoded decode(byte[] stream, SecretBytes key) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ConsoleRecordReader r = ConsoleRecordReader.open(new ByteArrayInputStream(stream), key);
      r.transferTo(out);
      return new Decoded(out.toByteArray(), null);
    } catch (ConsoleViolationException e) {
      return new Decoded(out.toByteArray(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
