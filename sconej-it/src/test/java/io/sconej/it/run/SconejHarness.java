package io.sconej.it.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/** Runs the real {@code bin/sconej} and a real CAS for end-to-end tests. */
final class SconejHarness implements AutoCloseable {
  record Result(int exit, String out, String err, Path outFile, Path errFile) {}

  final Path repo;
  final Path work;
  private Process cas;
  int casPort;

  SconejHarness(Path work) {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("bin/sconej"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("bin/sconej not found above " + Path.of("").toAbsolutePath());
    }
    this.repo = p;
    this.work = work;
  }

  Result sconej(Map<String, String> env, String... args) throws Exception {
    return sconejIn(work, env, args);
  }

  /** Runs bin/sconej in working directory {@code dir} (output files still go to work). */
  Result sconejIn(Path dir, Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(repo.resolve("bin/sconej").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().putAll(env);
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("sconej " + String.join(" ", args) + " timed out");
    }
    return new Result(p.exitValue(), new String(Files.readAllBytes(out), StandardCharsets.UTF_8),
        new String(Files.readAllBytes(err), StandardCharsets.UTF_8), out, err);
  }

  Result sconej(String... args) throws Exception {
    return sconej(Map.of(), args);
  }

  /** Starts a CAS on a free loopback port trusting the sim platform in {@code plat}. */
  void startCas(Path plat) throws Exception {
    cas = new ProcessBuilder(repo.resolve("bin/sconej").toString(), "cas", "serve", "--data",
        work.resolve("cas").toString(), "--port", "0", "--trust-platform",
        plat.resolve("platform-cert.pem").toString()).redirectErrorStream(true).start();
    BufferedReader r = new BufferedReader(
        new InputStreamReader(cas.getInputStream(), StandardCharsets.UTF_8));
    String line;
    long deadline = System.currentTimeMillis() + 60_000;
    while ((line = r.readLine()) != null && System.currentTimeMillis() < deadline) {
      if (line.startsWith("listening: https://127.0.0.1:")) {
        casPort = Integer.parseInt(line.substring(line.lastIndexOf(':') + 1).trim());
        Thread.ofVirtual().start(() -> r.lines().forEach(l -> {}));
        return;
      }
    }
    throw new IllegalStateException("CAS did not start");
  }

  String casUrl() {
    return "https://127.0.0.1:" + casPort;
  }

  /**
   * Initialises a sim platform in {@code work/plat}, starts a CAS trusting it and writes the
   * owner's identity to {@code owner.pem}; returns the platform directory.
   */
  Path startSimCas() throws Exception {
    Path plat = work.resolve("plat");
    org.junit.jupiter.api.Assertions.assertEquals(
        0, sconej("platform", "init", "--dir", plat.toString()).exit());
    startCas(plat);
    org.junit.jupiter.api.Assertions.assertEquals(
        0, sconej("session", "identity", "--out", "owner.pem").exit());
    return plat;
  }

  /**
   * The measurement {@code sconej run --print-measurement} prints for a class path and this
   * harness's CAS (whose identity is measured).
   */
  String measurement(String classPath, String... options) throws Exception {
    List<String> args = new ArrayList<>(List.of("run", "--class-path", classPath));
    if (!List.of(options).contains("--cas-ca") && !List.of(options).contains("--cas-identity")) {
      args.addAll(List.of("--cas-ca", "cas/cas-ca.pem"));
    }
    args.addAll(List.of(options));
    args.add("--print-measurement");
    Result m = sconej(args.toArray(String[]::new));
    org.junit.jupiter.api.Assertions.assertEquals(0, m.exit(), m.err());
    return m.out().strip().lines().reduce((a, b) -> b).orElseThrow();
  }

  /** Creates a session from {@code policy} (YAML written to {@code work/file}) as the owner. */
  Result createSession(String file, String policy) throws Exception {
    Path f = work.resolve(file);
    Files.writeString(f, policy);
    Result r = sconej("session", "create", "--cas", casUrl(), "--cas-ca", "cas/cas-ca.pem",
        "--identity", "owner.pem", "--file", f.toString());
    org.junit.jupiter.api.Assertions.assertEquals(0, r.exit(), r.err());
    return r;
  }

  /**
   * Posts version {@code version} of session {@code name} from {@code policy} (YAML written to
   * {@code work}) as the owner: a create for version 1, else an update; returns the new version's
   * hash.
   */
  String postSession(String name, int version, String policy) throws Exception {
    Path f = work.resolve(name.replace('/', '-') + "-v" + version + ".yaml");
    Files.writeString(f, policy);
    Result r = version == 1
        ? sconej("session", "create", "--cas", casUrl(), "--cas-ca", "cas/cas-ca.pem",
            "--identity", "owner.pem", "--file", f.toString())
        : sconej("session", "update", name, "--cas", casUrl(), "--cas-ca", "cas/cas-ca.pem",
            "--identity", "owner.pem", "--file", f.toString());
    org.junit.jupiter.api.Assertions.assertEquals(0, r.exit(), r.err());
    return r.out().lines().filter(l -> l.startsWith("hash: ")).findFirst().orElseThrow()
        .substring(6);
  }

  /** A jar holding only the given classes (from this module's test classes). */
  static Path jarOf(Path jar, Class<?>... classes) throws IOException {
    try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(jar))) {
      for (Class<?> c : classes) {
        String name = c.getName().replace('.', '/') + ".class";
        JarEntry e = new JarEntry(name);
        e.setTime(0);
        j.putNextEntry(e);
        try (var in = c.getClassLoader().getResourceAsStream(name)) {
          in.transferTo(j);
        }
      }
    }
    return jar;
  }

  @Override
  public void close() {
    if (cas != null) {
      cas.destroy();
      try {
        cas.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      cas.destroyForcibly();
    }
  }
}
