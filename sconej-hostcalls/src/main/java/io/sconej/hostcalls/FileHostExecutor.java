package io.sconej.hostcalls;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The honest host side: performs each request with a host {@link HostCalls} (normally {@link
 * SyncHostCalls}) straight on the slot's off-heap buffer, and answers. Errors are answered with a
 * {@link HostError} code and a short message in the buffer.
 */
public final class FileHostExecutor implements HostExecutor {
  /** Longest error message a host writes into a slot. */
  static final int MAX_MESSAGE_BYTES = 200;

  private final HostCalls host;

  /** Serves requests with {@code host}, which this executor does not close. */
  public FileHostExecutor(HostCalls host) {
    this.host = host;
  }

  @Override
  public void serve(HostSlot r) {
    try {
      serveOrThrow(r);
    } catch (IOException e) {
      respondError(r, HostError.classify(e), e.getMessage());
    } catch (RuntimeException e) {
      respondError(r, HostError.IO, e.getClass().getSimpleName());
    }
  }

  static void respondError(HostSlot r, HostError error, String message) {
    byte[] m = String.valueOf(message).getBytes(StandardCharsets.UTF_8);
    int n = Math.min(Math.min(m.length, MAX_MESSAGE_BYTES), r.bufferBytes());
    MemorySegment.copy(m, 0, r.data(), ValueLayout.JAVA_BYTE, 0, n);
    r.respond(0, error, n);
  }

  private static String string(HostSlot r, int offset, int length) {
    if (offset < 0 || length < 0 || offset + length > r.bufferBytes()) {
      throw new IllegalArgumentException("request string out of the buffer");
    }
    byte[] b = r.data().asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static ByteBuffer buffer(HostSlot r, long length) {
    if (length < 0 || length > r.bufferBytes()) {
      throw new IllegalArgumentException("request length out of the buffer");
    }
    return r.data().asSlice(0, length).asByteBuffer();
  }

  private void serveOrThrow(HostSlot r) throws IOException {
    int len = r.requestLength();
    switch (r.op()) {
      case OPEN -> r.respond(host.open(string(r, 0, len), (int) r.arg(0)), HostError.OK, 0);
      case PREAD -> {
        ByteBuffer b = buffer(r, r.arg(2));
        int n = host.pread(r.arg(0), b, r.arg(1));
        r.respond(n, HostError.OK, b.position());
      }
      case PWRITE -> {
        ByteBuffer b = buffer(r, len);
        r.respond(host.pwrite(r.arg(0), b, r.arg(1)), HostError.OK, 0);
      }
      case SIZE -> r.respond(host.size(r.arg(0)), HostError.OK, 0);
      case TRUNCATE -> {
        host.truncate(r.arg(0), r.arg(1));
        r.respond(0, HostError.OK, 0);
      }
      case FSYNC -> {
        host.fsync(r.arg(0), r.arg(1) != 0);
        r.respond(0, HostError.OK, 0);
      }
      case CLOSE -> {
        host.close(r.arg(0));
        r.respond(0, HostError.OK, 0);
      }
      case STAT -> {
        HostStat s = host.stat(string(r, 0, len));
        long flags = (s.exists() ? 1 : 0) | (s.directory() ? 2 : 0);
        MemorySegment d = r.data();
        d.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, flags);
        d.set(ValueLayout.JAVA_LONG_UNALIGNED, 8, s.sizeBytes());
        d.set(ValueLayout.JAVA_LONG_UNALIGNED, 16, s.modifiedMillis());
        r.respond(0, HostError.OK, 24);
      }
      case LIST -> list(r, string(r, 0, len), r.arg(0));
      case MKDIR -> {
        host.mkdir(string(r, 0, len));
        r.respond(0, HostError.OK, 0);
      }
      case DELETE -> {
        host.delete(string(r, 0, len));
        r.respond(0, HostError.OK, 0);
      }
      case RENAME -> {
        int fromLen = (int) r.arg(0);
        host.rename(string(r, 0, fromLen), string(r, fromLen + 1, len - fromLen - 1));
        r.respond(0, HostError.OK, 0);
      }
      case FSYNC_DIR -> {
        host.fsyncDir(string(r, 0, len));
        r.respond(0, HostError.OK, 0);
      }
      case PUNCH_HOLE ->
          r.respond(host.punchHole(r.arg(0), r.arg(1), r.arg(2)) ? 1 : 0, HostError.OK, 0);
      case NONE -> respondError(r, HostError.BAD_REQUEST, "unknown opcode");
    }
  }

  private void list(HostSlot r, String dir, long skip) throws IOException {
    List<String> names = host.list(dir);
    MemorySegment d = r.data();
    int pos = 0;
    int count = 0;
    long i = Math.max(0, skip);
    for (; i < names.size(); i++) {
      byte[] b = names.get((int) i).getBytes(StandardCharsets.UTF_8);
      if (pos + b.length + 1 > r.bufferBytes()) {
        break;
      }
      MemorySegment.copy(b, 0, d, ValueLayout.JAVA_BYTE, pos, b.length);
      d.set(ValueLayout.JAVA_BYTE, pos + b.length, (byte) 0);
      pos += b.length + 1;
      count++;
    }
    if (count == 0 && i < names.size()) {
      respondError(r, HostError.IO, "directory entry name longer than the slot buffer");
      return;
    }
    long more = i < names.size() ? 1L << 32 : 0;
    r.respond(count | more, HostError.OK, pos);
  }
}
