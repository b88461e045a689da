package io.sconej.bench.fs;

import io.sconej.crypto.SecretBytes;
import io.sconej.fileshield.Volume;
import io.sconej.fileshield.VolumeConfig;
import io.sconej.fileshield.VolumeFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Host space of a write-heavy, database-like workload (issue 11 item 3): a page file updated at
 * random and sometimes grown, a write-ahead log appended and truncated at checkpoints, temporary
 * files created and deleted, and compactions (in place and truncated, or a copy renamed over the
 * page file); one sync per round. The same seeded workload runs on a plain host directory and on
 * an encrypted volume; after each round's sync it records the host's allocated bytes ({@code du
 * -s -B1}) against the logical bytes (the sum of the live files' sizes).
 *
 * <p>Usage: {@code SpaceBench WORK_DIR [ROUNDS (30)] [DB_MIB (32)]}. Prints Markdown rows.
 */
public final class SpaceBench {
  private static final Set<StandardOpenOption> RW =
      Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
  private static final int PAGE = 4096;

  /** The operations the workload needs, on a volume or on a plain directory. */
  private interface Store extends AutoCloseable {
    void write(String name, byte[] data, long position) throws IOException;

    void truncate(String name, long size) throws IOException;

    void delete(String name) throws IOException;

    void rename(String from, String to) throws IOException;

    void mkdir(String name) throws IOException;

    void sync() throws IOException;

    @Override
    void close() throws IOException;
  }

  private SpaceBench() {}

  /** Runs the workload on both stores in {@code args[0]}; see the class comment. */
  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    int dbMib = args.length > 2 ? Integer.parseInt(args[2]) : 32;
    System.out.println("| store | logical MiB | host MiB (du) | host / logical | peak host MiB"
        + " | peak logical MiB | host files | host directories | time (s) |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    Path plain = Files.createDirectories(work.resolve("plain"));
    run("plain directory", plainStore(plain), plain, rounds, dbMib);
    Path vol = work.resolve("volume");
    Volume v = Volume.create(vol, SecretBytes.random(32), VolumeConfig.defaults());
    run("sconej volume", volumeStore(v), vol, rounds, dbMib);
  }

  private static void run(String label, Store s, Path hostDir, int rounds, int dbMib)
      throws Exception {
    SplittableRandom rnd = new SplittableRandom(11);
    long t0 = System.nanoTime();
    long[] logical = {0};
    long db = (long) dbMib << 20;
    long wal = 0;
    long peakHost = 0;
    long peakLogical = 0;
    java.util.Map<String, Long> sizes = new java.util.HashMap<>();
    try (s) {
      s.mkdir("tmp");
      byte[] chunk = bytes(rnd, 1 << 20);
      for (long at = 0; at < db; at += chunk.length) {
        s.write("db", chunk, at);
      }
      sizes.put("db", db);
      s.sync();
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < 1500; i++) {
          s.write("db", bytes(rnd, PAGE), rnd.nextLong(db / PAGE) * PAGE);
        }
        if (rnd.nextInt(10) == 0) {
          s.write("db", bytes(rnd, 256 << 10), db);
          db += 256 << 10;
        }
        for (int i = 0; i < 16; i++) {
          s.write("wal", bytes(rnd, 64 << 10), wal);
          wal += 64 << 10;
        }
        if (r % 3 == 2) {
          s.truncate("wal", 0);
          wal = 0;
        }
        for (int i = 0; i < 40; i++) {
          String t = "tmp/r" + r + "-" + i;
          int n = rnd.nextInt(8 << 10, 64 << 10);
          s.write(t, bytes(rnd, n), 0);
          sizes.put(t, (long) n);
          if (r > 0) {
            s.delete("tmp/r" + (r - 1) + "-" + i);
            sizes.remove("tmp/r" + (r - 1) + "-" + i);
          }
        }
        if (r % 10 == 9) { // compaction in place, as H2 does: live pages moved down, truncated
          db = db * 3 / 4 / PAGE * PAGE;
          for (long at = 0; at < db; at += chunk.length) {
            s.write("db", chunk, at);
          }
          s.truncate("db", db);
        } else if (r % 10 == 4) { // compaction by copy, as SQLite's VACUUM INTO does
          for (long at = 0; at < db; at += chunk.length) {
            s.write("db.compact", chunk, at);
          }
          s.truncate("db.compact", db);
          s.rename("db.compact", "db");
        }
        sizes.put("db", db);
        sizes.put("wal", wal);
        s.sync();
        logical[0] = sizes.values().stream().mapToLong(Long::longValue).sum();
        peakLogical = Math.max(peakLogical, logical[0]);
        peakHost = Math.max(peakHost, du(hostDir));
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9; // du included: the same for both stores
    long host = du(hostDir);
    long files;
    long dirs;
    try (Stream<Path> w = Files.walk(hostDir)) {
      files = w.filter(Files::isRegularFile).count();
    }
    try (Stream<Path> w = Files.walk(hostDir)) {
      dirs = w.filter(Files::isDirectory).count();
    }
    System.out.printf("| %s | %.1f | %.1f | %.2fx | %.1f | %.1f | %d | %d | %.1f |%n", label,
        mib(logical[0]), mib(host), host / (double) logical[0], mib(peakHost), mib(peakLogical),
        files, dirs, seconds);
  }

  private static double mib(long b) {
    return b / 1048576.0;
  }

  private static byte[] bytes(SplittableRandom rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }

  /** Allocated bytes under {@code p}, as {@code du -s -B1} counts them. */
  static long du(Path p) throws IOException, InterruptedException {
    Process pr = new ProcessBuilder("du", "-s", "-B1", p.toString()).start();
    String out = new String(pr.getInputStream().readAllBytes()).trim();
    if (pr.waitFor() != 0) {
      throw new IOException("du failed on " + p);
    }
    return Long.parseLong(out.split("\\s+")[0]);
  }

  private static Store volumeStore(Volume v) {
    return new Store() {
      @Override
      public void write(String name, byte[] data, long position) throws IOException {
        try (VolumeFile f = v.open(name, RW)) {
          f.write(ByteBuffer.wrap(data), position);
        }
      }

      @Override
      public void truncate(String name, long size) throws IOException {
        try (VolumeFile f = v.open(name, RW)) {
          f.truncate(size);
        }
      }

      @Override
      public void delete(String name) throws IOException {
        v.delete(name);
      }

      @Override
      public void rename(String from, String to) throws IOException {
        v.rename(from, to, true);
      }

      @Override
      public void mkdir(String name) throws IOException {
        v.createDirectory(name);
      }

      @Override
      public void sync() throws IOException {
        v.sync();
      }

      @Override
      public void close() throws IOException {
        v.close();
      }
    };
  }

  private static Store plainStore(Path dir) {
    return new Store() {
      @Override
      public void write(String name, byte[] data, long position) throws IOException {
        try (FileChannel f = FileChannel.open(dir.resolve(name), RW)) {
          ByteBuffer b = ByteBuffer.wrap(data);
          while (b.hasRemaining()) {
            f.write(b, position + b.position());
          }
        }
      }

      @Override
      public void truncate(String name, long size) throws IOException {
        try (FileChannel f = FileChannel.open(dir.resolve(name), RW)) {
          f.truncate(size);
        }
      }

      @Override
      public void delete(String name) throws IOException {
        Files.delete(dir.resolve(name));
      }

      @Override
      public void rename(String from, String to) throws IOException {
        Files.move(dir.resolve(from), dir.resolve(to), StandardCopyOption.ATOMIC_MOVE);
      }

      @Override
      public void mkdir(String name) throws IOException {
        Files.createDirectory(dir.resolve(name));
      }

      @Override
      public void sync() throws IOException {
        try (Stream<Path> w = Files.walk(dir)) {
          for (Path p : w.filter(Files::isRegularFile).toList()) {
            try (FileChannel f = FileChannel.open(p, StandardOpenOption.WRITE)) {
              f.force(true);
            }
          }
        }
      }

      @Override
      public void close() {}
    };
  }
}
