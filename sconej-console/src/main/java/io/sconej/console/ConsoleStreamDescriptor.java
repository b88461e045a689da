package io.sconej.console;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Byte layout of a console stream (docs/formats/console.md). All integers are big-endian.
 *
 * <pre>
 * stream = header || record_0 || record_1 || ... || record_n      (record_n has the END flag)
 *
 * header, 56 bytes:
 *  0      4     5     6        8                        24                                56
 *  +------+-----+-----+--------+------------------------+---------------------------------+
 *  | SJCN | ver | kind| 00 00  | streamId (16, random)  | HMAC-SHA256(checkKey,           |
 *  |magic | =1  | u8  |reserved|                        |   header bytes 0..24 as stored) |
 *  +------+-----+-----+--------+------------------------+---------------------------------+
 *
 * record, 13 + n + 16 bytes (n = payload length, 0 .. 1 MiB):
 *  0               4                      12      13                          13+n+16
 *  +---------------+----------------------+-------+---------------------------+
 *  | length u32    | sequence u64         | flags | AES-256-GCM ciphertext    |
 *  | = n + 16      | 0, 1, 2, ...         | u8    | of the payload || tag(16) |
 *  +---------------+----------------------+-------+---------------------------+
 *  flags: bit 0 = END (the last record; written on clean close); other bits 0.
 *  key   = recordKey (per stream, see {@code ConsoleStreamKeys})
 *  nonce = 00 00 00 00 || u64 sequence
 *  aad   = header bytes 0..24 || record bytes 0..13
 * </pre>
 */
public final class ConsoleStreamDescriptor {
  /** The magic, "SJCN". */
  public static final byte[] MAGIC = "SJCN".getBytes(StandardCharsets.US_ASCII);

  /** The format version written and accepted. */
  public static final int VERSION = 1;

  /** Offset of the version byte. */
  public static final int VERSION_OFFSET = 4;

  /** Offset of the stream kind byte. */
  public static final int KIND_OFFSET = 5;

  /** Offset of the two reserved bytes (zero). */
  public static final int RESERVED_OFFSET = 6;

  /** Offset of the random stream id. */
  public static final int STREAM_ID_OFFSET = 8;

  /** Length of the stream id. */
  public static final int STREAM_ID_BYTES = 16;

  /** Offset of the header MAC; the bytes before it are the authenticated header prefix. */
  public static final int HEADER_MAC_OFFSET = 24;

  /** Length of the header MAC. */
  public static final int HEADER_MAC_BYTES = 32;

  /** Total header length. */
  public static final int HEADER_BYTES = 56;

  /** Length of a record's clear header: length, sequence, flags. */
  public static final int RECORD_HEADER_BYTES = 13;

  /** Length of the AES-GCM tag at the end of each record. */
  public static final int TAG_BYTES = 16;

  /** The END flag bit. */
  public static final int FLAG_END = 1;

  /** The largest payload a record may carry; readers refuse longer records before reading. */
  public static final int MAX_PAYLOAD_BYTES = 1 << 20;

  /** The payload size at which a writer seals a record without waiting for a flush. */
  public static final int DEFAULT_PAYLOAD_BYTES = 16 * 1024;

  private ConsoleStreamDescriptor() {}

  /** The 12-byte GCM nonce for a sequence number. */
  static byte[] nonce(long sequence) {
    return ByteBuffer.allocate(12).putInt(0).putLong(sequence).array();
  }

  /** Writes a record's clear header into {@code out} at offset 0. */
  static void putRecordHeader(byte[] out, int payloadBytes, long sequence, boolean end) {
    ByteBuffer.wrap(out, 0, RECORD_HEADER_BYTES)
        .putInt(payloadBytes + TAG_BYTES)
        .putLong(sequence)
        .put((byte) (end ? FLAG_END : 0));
  }
}
