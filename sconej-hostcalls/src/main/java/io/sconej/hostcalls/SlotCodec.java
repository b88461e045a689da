package io.sconej.hostcalls;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writing requests into, and reading validated answers out of, a slot's data buffer in untrusted
 * memory (for {@link AsyncHostCalls}). Every length and count the host wrote is checked before it
 * is used; nothing is read beyond the answer's stated length, which the caller has bounded by the
 * buffer.
 */
final class SlotCodec {
  private SlotCodec() {}

  /** The host's error message, cut to a safe length and to printable ASCII. */
  static String message(MemorySegment data, int length) {
    int n = Math.min(length, FileHostExecutor.MAX_MESSAGE_BYTES);
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      byte b = data.get(ValueLayout.JAVA_BYTE, i);
      sb.append(b >= 0x20 && b < 0x7f ? (char) b : '?');
    }
    return sb.toString();
  }

  /** Writes {@code s} NUL-terminated at {@code offset}; returns its UTF-8 length. */
  static int putString(MemorySegment data, int offset, String s, String what) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (offset + b.length + 1 > data.byteSize()) {
      throw new IOException(
          what + ": path of " + b.length + " bytes does not fit a slot buffer of "
              + data.byteSize() + " bytes");
    }
    MemorySegment.copy(b, 0, data, ValueLayout.JAVA_BYTE, offset, b.length);
    data.set(ValueLayout.JAVA_BYTE, offset + b.length, (byte) 0);
    return b.length;
  }

  /** {@code result}, after checking that the host sent no data with it. */
  static long checkEmpty(long result, int length, Object what) throws IOException {
    if (length != 0) {
      throw new HostCallException("host returned " + length + " data bytes for " + what);
    }
    return result;
  }

  /** A stat answer: {@code flags (0 missing, 1 file, 3 directory), size, modified}. */
  static HostStat stat(int length, MemorySegment d, String path) throws IOException {
    long flags = d.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
    if (length != 24 || (flags != 0 && flags != 1 && flags != 3)) {
      throw new HostCallException("host returned a malformed stat answer: " + path);
    }
    return flags == 0
        ? HostStat.MISSING
        : new HostStat(
            true,
            flags == 3,
            d.get(ValueLayout.JAVA_LONG_UNALIGNED, 8),
            d.get(ValueLayout.JAVA_LONG_UNALIGNED, 16));
  }

  /**
   * One listing page: NUL-terminated names, {@code result} = more (high 32 bits, 0 or 1) and
   * count (low 32 bits). Adds the names to {@code names}; returns more.
   */
  static long listPage(long result, int length, MemorySegment d, List<String> names, long skip,
      String dir) throws IOException {
    long count = result & 0xffff_ffffL;
    long more = result >>> 32;
    if (more > 1) {
      throw new HostCallException("host returned a malformed listing page: " + dir);
    }
    int start = 0;
    for (int i = 0; i < length; i++) {
      if (d.get(ValueLayout.JAVA_BYTE, i) == 0) {
        byte[] b = d.asSlice(start, i - start).toArray(ValueLayout.JAVA_BYTE);
        names.add(new String(b, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    if (start != length || names.size() - skip != count) {
      throw new HostCallException("host returned a malformed listing page: " + dir);
    }
    if (more == 1 && count == 0 || names.size() > IagoChecks.MAX_DIR_ENTRIES) {
      throw new HostCallException("host listing makes no progress or is too long: " + dir);
    }
    return more;
  }
}
