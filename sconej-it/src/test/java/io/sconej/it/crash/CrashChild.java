package io.sconej.it.crash;

import io.sconej.crypto.SecretBytes;
import io.sconej.fileshield.Volume;
import io.sconej.fileshield.VolumeConfig;
import io.sconej.fileshield.VolumeFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The process that gets killed: opens a volume and writes and syncs at random until SIGKILL.
 *
 * <p>Protocol on stdout, one flushed line per event: {@code READY} once the volume is open;
 * {@code OP <seq> WRITE <path> <offset> <length>}, {@code OP <seq> TRUNC <path> <size>}, {@code
 * OP <seq> CREATE <path>}, {@code OP <seq> RENAME <from> <to>}, {@code OP <seq> DELETE <path>}
 * printed BEFORE the operation starts; {@code ACK <seq> <path>} after {@code force()} on that
 * file returned and {@code ACK <seq> *} after {@code Volume.sync()} returned, both meaning: the
 * state after op {@code seq} is durable. With {@code --lie-acks} it acknowledges without forcing
 * (a deliberately unsafe writer the checker must catch).
 *
 * <p>Usage: {@code CrashChild <volumeDir> <keyFile> <seed> <firstSeq> [--lie-acks]}. Exits by
 * itself after 10 s if nobody kills it.
 */
public final class CrashChild {
  static final String[] SMALL = {"small/a", "small/b", "small/c"};
  static final String BIG = "big";
  static final int BIG_SPAN = 96 * 1024;
  private static final StandardOpenOption W = StandardOpenOption.WRITE;

  private final Volume volume;
  private final SplittableRandom random;
  private final boolean lie;
  private final PrintStream out = System.out;
  private final List<String> tmp = new ArrayList<>();
  private long seq;
  private final long firstSeq;

  private CrashChild(Volume volume, SplittableRandom random, long firstSeq, boolean lie)
      throws IOException {
    this.volume = volume;
    this.random = random;
    this.seq = firstSeq - 1;
    this.firstSeq = firstSeq;
    this.lie = lie;
    for (String n : volume.list("tmp")) {
      tmp.add("tmp/" + n);
    }
  }

  /** Entry point; see the class Javadoc. */
  public static void main(String[] args) throws IOException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    SecretBytes key = SecretBytes.copyOf(Files.readAllBytes(Path.of(args[1])));
    Volume v = Volume.open(Path.of(args[0]), key, VolumeConfig.defaults());
    boolean lie = args.length > 4 && args[4].equals("--lie-acks");
    CrashChild c = new CrashChild(v, new SplittableRandom(Long.parseLong(args[2])),
        Long.parseLong(args[3]), lie);
    c.line("READY");
    while (System.nanoTime() < deadline) {
      c.step();
    }
    c.line("TIMEOUT");
  }

  private void step() throws IOException {
    int r = random.nextInt(100);
    if (r < 45) {
      String p = SMALL[random.nextInt(SMALL.length)];
      try (VolumeFile f = volume.open(p, java.util.Set.of(W))) {
        op("TRUNC " + p + " 0");
        f.truncate(0);
        int len = random.nextInt(3000);
        write(f, p, 0, len);
        maybeForce(f, p, 70);
      }
    } else if (r < 85) {
      try (VolumeFile f = volume.open(BIG, java.util.Set.of(W))) {
        write(f, BIG, random.nextInt(BIG_SPAN), 1 + random.nextInt(12 * 1024));
        maybeForce(f, BIG, 60);
      }
    } else if (r < 90) {
      sync();
    } else if (r < 95 && tmp.size() < 6) {
      op("CREATE tmp/t" + (seq + 1));
      String p = "tmp/t" + seq;
      try (VolumeFile f = volume.open(p, java.util.Set.of(W, StandardOpenOption.CREATE_NEW))) {
        tmp.add(p);
        write(f, p, 0, random.nextInt(5000));
      }
      sync();
    } else if (r < 98 && !tmp.isEmpty()) {
      String from = tmp.remove(random.nextInt(tmp.size()));
      String to = "tmp/r" + (seq + 1);
      op("RENAME " + from + " " + to);
      try {
        volume.rename(from, to, false);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        System.err.println("rename " + from + " -> " + to + ": stat(to)=" + volume.stat(to)
            + ", list(tmp)=" + volume.list("tmp") + ", first seq of this run " + firstSeq);
        throw e;
      }
      tmp.add(to);
      sync();
    } else if (!tmp.isEmpty()) {
      String p = tmp.remove(random.nextInt(tmp.size()));
      op("DELETE " + p);
      volume.delete(p);
      sync();
    }
  }

  private void write(VolumeFile f, String p, long offset, int length) throws IOException {
    op("WRITE " + p + " " + offset + " " + length);
    f.write(ByteBuffer.wrap(CrashContent.bytes(seq, offset, length)), offset);
  }

  private void maybeForce(VolumeFile f, String p, int percent) throws IOException {
    if (random.nextInt(100) < percent) {
      if (!lie) {
        f.force();
      }
      line("ACK " + seq + " " + p);
    }
  }

  private void sync() throws IOException {
    if (!lie) {
      volume.sync();
    }
    line("ACK " + seq + " *");
  }

  private void op(String what) {
    seq++;
    line("OP " + seq + " " + what);
  }

  private void line(String s) {
    out.println(s);
    out.flush();
  }
}
