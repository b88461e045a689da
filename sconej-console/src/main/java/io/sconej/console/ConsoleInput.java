package io.sconej.console;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A look-ahead window over a captured console stream: bytes can be examined at any distance from
 * the current position before they are consumed, which lets the reader try record boundaries at
 * successive offsets after injected bytes. Tracks the absolute input offset for messages. The
 * window grows only as far as it is asked to look (at most one record past the position).
 */
final class ConsoleInput {
  private final InputStream in;
  private byte[] buf = new byte[64 * 1024];
  private int start;
  private int end;
  private long consumed;
  private boolean eof;

  ConsoleInput(InputStream in) {
    this.in = in;
  }

  /** The absolute input offset of the current position. */
  long offset() {
    return consumed;
  }

  /**
   * Makes up to {@code n} bytes from the current position available; returns how many are (fewer
   * only at the end of the input).
   */
  int available(int n) throws IOException {
    while (end - start < n && !eof) {
      if (start + n > buf.length) {
        if (n > buf.length) {
          buf = Arrays.copyOfRange(buf, start, start + Math.max(n, 2 * buf.length));
        } else {
          System.arraycopy(buf, start, buf, 0, end - start);
        }
        end -= start;
        start = 0;
      }
      int r = in.read(buf, end, buf.length - end);
      if (r < 0) {
        eof = true;
      } else {
        end += r;
      }
    }
    return Math.min(n, end - start);
  }

  /** The byte at distance {@code i} from the current position; {@link #available} made it so. */
  int get(int i) {
    return buf[start + i] & 0xff;
  }

  /** A copy of {@code length} bytes at distance {@code from}; {@link #available} made them so. */
  byte[] copy(int from, int length) {
    return Arrays.copyOfRange(buf, start + from, start + from + length);
  }

  /** Consumes {@code n} available bytes. */
  void skip(int n) {
    if (n > end - start) {
      throw new IllegalArgumentException("skip " + n + " of " + (end - start) + " bytes");
    }
    start += n;
    consumed += n;
  }
}
