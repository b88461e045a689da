package io.sconej.fileshield;

import io.sconej.crypto.ConstantTime;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The volume header, file {@code volume.sconej}, 64 bytes, written once at creation:
 *
 * <pre>
 *  0        8     10   11   12          16                 32                              64
 *  +--------+-----+----+----+-----------+------------------+-------------------------------+
 *  |"SCONEJV"| ver | md | 0  | chunkSize | volumeId (16)    | keyCheck = HMAC(checkKey,     |
 *  |  "1"    | u16 | u8 |    | u32       |                  |   bytes 0..32)  (32)          |
 *  +--------+-----+----+----+-----------+------------------+-------------------------------+
 * </pre>
 *
 * The key check authenticates the parameters too: a wrong key and a tampered header are the same
 * error, {@link WrongKeyException}.
 */
final class VolumeHeader {
  static final String FILE_NAME = "volume.sconej";
  static final int LENGTH = 64;
  static final int FORMAT_VERSION = 1;
  private static final byte[] MAGIC = {'S', 'C', 'O', 'N', 'E', 'J', 'V', '1'};

  final VolumeMode mode;
  final int chunkSizeBytes;
  final byte[] volumeId;

  VolumeHeader(VolumeMode mode, int chunkSizeBytes, byte[] volumeId) {
    this.mode = mode;
    this.chunkSizeBytes = chunkSizeBytes;
    this.volumeId = volumeId.clone();
  }

  private byte[] body() {
    ByteBuffer b = ByteBuffer.allocate(32);
    b.put(MAGIC).putShort((short) FORMAT_VERSION).put((byte) mode.code()).put((byte) 0);
    b.putInt(chunkSizeBytes).put(volumeId);
    return b.array();
  }

  byte[] encode(VolumeKeys keys) {
    byte[] body = body();
    byte[] out = Arrays.copyOf(body, LENGTH);
    System.arraycopy(keys.checkMac(body), 0, out, 32, 32);
    return out;
  }

  /** Parses without authenticating (the key schedule needs the volume id first). */
  static VolumeHeader parse(byte[] b) throws IntegrityViolationException {
    if (b.length != LENGTH || !Arrays.equals(b, 0, 8, MAGIC, 0, 8)) {
      throw new IntegrityViolationException(
          "", -1, Violation.TAMPERED_METADATA, FILE_NAME + " is not a sconej volume header");
    }
    ByteBuffer bb = ByteBuffer.wrap(b, 8, 24);
    int version = bb.getShort() & 0xffff;
    if (version != FORMAT_VERSION) {
      throw new IntegrityViolationException(
          "", -1, Violation.TAMPERED_METADATA, "unsupported volume format version " + version);
    }
    int mode = bb.get() & 0xff;
    bb.get();
    int chunk = bb.getInt();
    byte[] id = new byte[16];
    bb.get(id);
    VolumeMode m;
    try {
      m = VolumeMode.fromCode(mode);
    } catch (IllegalArgumentException e) {
      throw new IntegrityViolationException("", -1, Violation.TAMPERED_METADATA, e.getMessage());
    }
    if (chunk < VolumeConfig.MIN_CHUNK_SIZE
        || chunk > VolumeConfig.MAX_CHUNK_SIZE
        || Integer.bitCount(chunk) != 1) {
      throw new IntegrityViolationException(
          "", -1, Violation.TAMPERED_METADATA, "impossible chunk size " + chunk);
    }
    return new VolumeHeader(m, chunk, id);
  }

  /** Checks the key check value over the raw header bytes, in constant time. */
  void authenticate(byte[] encoded, VolumeKeys keys) throws WrongKeyException {
    byte[] expect = keys.checkMac(Arrays.copyOfRange(encoded, 0, 32));
    if (!ConstantTime.equal(expect, Arrays.copyOfRange(encoded, 32, 64))) {
      throw new WrongKeyException();
    }
  }
}
