package io.sconej.it.crash;

import io.sconej.crypto.SecretBytes;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/**
 * The process that gets killed while appending a log the way databases do: through the NIO
 * provider, a {@code FileChannel} opened with {@code DSYNC} (what {@code RandomAccessFile "rwd"}
 * becomes in a volume), one record of 100-200 bytes per write, until SIGKILL.
 *
 * <p>Record {@code i}: {@code u32 length || u32 i || payload || u32 crc32(all before)}, payload
 * from a generator seeded with {@code i}, so the checker can rebuild every record. Protocol on
 * stdout: {@code READY}, then {@code ACK <i>} after the write of record {@code i} returned.
 * With {@code --no-sync} it opens without DSYNC and still acknowledges (an unsafe writer the
 * checker must catch).
 *
 * <p>Usage: {@code DsyncAppendChild <volumeDir> <keyFile> <firstRecord> [--no-sync]}. Exits by
 * itself after 10 s.
 */
public final class DsyncAppendChild {
  private DsyncAppendChild() {}

  /** Record {@code i}, exactly as written. */
  static byte[] record(long i) {
    SplittableRandom r = new SplittableRandom(i * 0x9E3779B97F4A7C15L);
    byte[] payload = new byte[100 - 12 + r.nextInt(101)];
    r.nextBytes(payload);
    ByteBuffer b = ByteBuffer.allocate(payload.length + 12);
    b.putInt(b.capacity()).putInt((int) i).put(payload);
    CRC32 crc = new CRC32();
    crc.update(b.array(), 0, b.position());
    b.putInt((int) crc.getValue());
    return b.array();
  }

  /** Entry point; see the class Javadoc. */
  public static void main(String[] args) throws IOException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    SecretBytes key = SecretBytes.copyOf(Files.readAllBytes(Path.of(args[1])));
    long next = Long.parseLong(args[2]);
    boolean sync = !(args.length > 3 && args[3].equals("--no-sync"));
    Set<StandardOpenOption> opts = EnumSet.of(StandardOpenOption.WRITE,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    if (sync) {
      opts.add(StandardOpenOption.DSYNC);
    }
    PrintStream out = System.out;
    try (FileSystem fs = FileSystems.newFileSystem(URI.create("sconej:" + args[0]),
            Map.of("key", key));
        FileChannel ch = FileChannel.open(fs.getPath("/log"), opts)) {
      out.println("READY");
      out.flush();
      while (System.nanoTime() < deadline) {
        ByteBuffer b = ByteBuffer.wrap(record(next));
        while (b.hasRemaining()) {
          ch.write(b);
        }
        out.println("ACK " + next);
        out.flush();
        next++;
      }
    }
    out.println("TIMEOUT");
  }
}
