package io.sconej.it.crash;

import io.sconej.crypto.SecretBytes;
import io.sconej.fileshield.Volume;
import io.sconej.fileshield.VolumeConfig;
import io.sconej.fileshield.VolumeFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs crash rounds on one volume: each round starts {@link CrashChild} in its own JVM, kills it
 * with SIGKILL ({@link Process#destroyForcibly()}) at a random instant, then opens the volume in
 * this JVM, runs {@code verify()}, and checks every file with {@link CrashModel}. The next round
 * continues on the same volume.
 */
final class CrashRunner {
  /** Outcome of one round. */
  record Round(int index, boolean killedWhileOpening, long killDelayMillis, int ops, int acks,
      List<String> problems) {}

  private final Path volumeDir;
  private final Path keyFile;
  private final SecretBytes key;
  private final SplittableRandom random;
  private final boolean lieAcks;
  private TreeMap<String, byte[]> state;
  private long nextSeq = 1;

  /** Creates the volume with a few small files and one multi-chunk file. */
  CrashRunner(Path workDir, long seed, boolean lieAcks) throws IOException {
    this.volumeDir = workDir.resolve("volume");
    this.keyFile = workDir.resolve("key");
    this.random = new SplittableRandom(seed);
    this.lieAcks = lieAcks;
    byte[] k = new byte[32];
    new SplittableRandom(seed ^ 0x5eed).nextBytes(k); // test key, not a secret
    Files.write(keyFile, k);
    this.key = SecretBytes.copyOf(k);
    try (Volume v = Volume.create(volumeDir, key, VolumeConfig.defaults())) {
      v.createDirectory("small");
      v.createDirectory("tmp");
      for (String p : CrashChild.SMALL) {
        put(v, p, CrashContent.bytes(0, 0, 100));
      }
      put(v, CrashChild.BIG, CrashContent.bytes(0, 0, 64 * 1024));
      v.sync();
      state = CrashContent.readAll(v);
    }
  }

  private static void put(Volume v, String p, byte[] b) throws IOException {
    try (VolumeFile f = v.open(p, Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE))) {
      f.write(ByteBuffer.wrap(b), 0);
    }
  }

  /** One round: start, kill, reopen, verify, check. Every eighth round kills during open. */
  Round round(int index) throws IOException, InterruptedException {
    boolean early = !lieAcks && index % 8 == 7;
    long delay = early ? random.nextLong(0, 400) : random.nextLong(50, 501);
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        CrashChild.class.getName(), volumeDir.toString(), keyFile.toString(),
        Long.toString(random.nextLong()), Long.toString(nextSeq)));
    if (lieAcks) {
      cmd.add("--lie-acks");
    }
    Path err = volumeDir.resolveSibling("child-" + index + ".err");
    // stdout goes to a file, not a pipe: after SIGKILL the JDK drains and closes a child's pipe
    // concurrently with our reads, which can lose the last lines; a file keeps every byte
    // that the child's write(2) calls returned from.
    Path log = volumeDir.resolveSibling("child-" + index + ".out");
    Process child =
        new ProcessBuilder(cmd).redirectError(err.toFile()).redirectOutput(log.toFile()).start();
    if (!early && !awaitReady(child, log)) {
      child.destroyForcibly().waitFor();
      throw new IOException("round " + index + ": child not ready in 30 s: " + stderr(err));
    }
    boolean exitedEarly = child.waitFor(delay, TimeUnit.MILLISECONDS);
    child.destroyForcibly();
    child.waitFor();
    if (exitedEarly && child.exitValue() != 0) {
      throw new IOException("round " + index + ": child failed by itself (exit "
          + child.exitValue() + "): " + stderr(err));
    }
    String text = Files.readString(log);
    Files.delete(log);
    CrashModel model = new CrashModel(state);
    int end = text.lastIndexOf('\n'); // a line cut by the kill has no newline: its op never ran
    for (String line : text.substring(0, end + 1).split("\n")) {
      if (!line.isEmpty()) {
        model.accept(line);
      }
    }
    Path crashed = volumeDir.resolveSibling("crashed-state");
    copyTree(volumeDir, crashed); // the host files exactly as the kill left them
    List<String> problems = new ArrayList<>();
    try (Volume v = Volume.open(volumeDir, key, VolumeConfig.defaults())) {
      v.verify();
      TreeMap<String, byte[]> found = CrashContent.readAll(v);
      problems.addAll(model.check(found));
      if (!problems.isEmpty()) {
        Path evidence = Path.of("target", "crash-evidence", "round-" + index + "-" + nextSeq)
            .toAbsolutePath();
        copyTree(crashed, evidence.resolve("volume-as-killed"));
        Files.write(evidence.resolve("key"), Files.readAllBytes(keyFile));
        Files.writeString(evidence.resolve("child-stdout.txt"), text);
        try (var files = Files.list(crashed)) {
          problems.add("host directory after the crash: "
              + files.map(f -> f.getFileName().toString()).sorted().toList()
              + "; child stderr: " + stderr(err) + "; evidence kept in " + evidence);
        }
      }
      state = found; // close() commits exactly this state: the next round starts from it
    }
    nextSeq = Math.max(nextSeq, model.lastSeq() + 1);
    Files.deleteIfExists(err);
    return new Round(index, early, delay, model.opCount(), model.ackCount(), problems);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    if (Files.exists(to)) {
      try (var old = Files.walk(to)) {
        for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(to.getParent());
    try (var all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }

  private static boolean awaitReady(Process child, Path log)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline && child.isAlive()) {
      if (Files.exists(log) && Files.readString(log).startsWith("READY\n")) {
        return true;
      }
      Thread.sleep(5);
    }
    return false;
  }

  private static String stderr(Path err) throws IOException {
    String s = Files.exists(err) ? Files.readString(err) : "";
    return s.length() > 2000 ? s.substring(0, 2000) : s;
  }
}
