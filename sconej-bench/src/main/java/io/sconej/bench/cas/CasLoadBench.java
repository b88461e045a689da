package io.sconej.bench.cas;

import io.sconej.attestation.TeeMode;
import io.sconej.attestation.sim.SimEvidence;
import io.sconej.attestation.sim.SimPlatform;
import io.sconej.cas.CasConfig;
import io.sconej.cas.CasServer;
import io.sconej.cas.client.CasClient;
import io.sconej.cas.client.CasConnection;
import io.sconej.cas.client.SelfSignedCert;
import io.sconej.verifier.sim.SimEvidenceVerifier;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CAS load benchmark: attestations per second and latency percentiles with N concurrent clients on
 * loopback, each attestation a full TLS 1.3 handshake with a fresh client key, a nonce, sim
 * evidence creation and verification, and configuration release. The baseline, measured in the same
 * run with the same concurrency, is a bare TLS 1.3 handshake with a fresh client key plus one
 * request ({@code POST /v1/nonce}). Clients and CAS share the machine (one JVM, platform threads
 * for clients).
 *
 * <pre>
 * java -cp ... io.sconej.bench.cas.CasLoadBench [--clients 1,16,64] [--seconds 10] [--warmup 3]
 * </pre>
 */
public final class CasLoadBench {
  static final byte[] MEASUREMENT = HexFormat.of().parseHex("5a".repeat(32));

  private CasLoadBench() {}

  /**
   * One measured run.
   *
   * @param clients concurrent clients
   * @param ops operations that completed within the measured window (throughput)
   * @param measured operations issued within the window, each measured however late it ended
   *     (latency); a thread whose every call overran the window issues one more, so each thread
   *     measures at least one
   * @param failures failed operations
   * @param seconds measured wall time
   * @param p50Millis median latency
   * @param p99Millis 99th percentile latency
   * @param serverCpuMillisPerOp process CPU time minus the client threads' CPU time, per operation:
   *     the CAS's cost (including its share of GC and JIT)
   */
  public record Result(
      int clients,
      long ops,
      long measured,
      long failures,
      double seconds,
      double p50Millis,
      double p99Millis,
      double serverCpuMillisPerOp) {
    /** Operations per second. */
    public double perSecond() {
      return ops / seconds;
    }
  }

  /** An operation measured by the harness. */
  @FunctionalInterface
  interface Op {
    void run() throws Exception;
  }

  /** Runs the benchmark; see the class comment for arguments. */
  public static void main(String[] args) throws Exception {
    List<Integer> clients = List.of(1, 16, 64);
    double seconds = 10;
    double warmup = 3;
    double rate = 0;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--clients" ->
            clients = Arrays.stream(args[i + 1].split(",")).map(Integer::valueOf).toList();
        case "--seconds" -> seconds = Double.parseDouble(args[i + 1]);
        case "--warmup" -> warmup = Double.parseDouble(args[i + 1]);
        case "--rate" -> rate = Double.parseDouble(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    run(clients, seconds, warmup, rate, System.out);
  }

  /** Starts a CAS in a temporary directory, runs baseline and attestation per client count. */
  public static List<Result[]> run(
      List<Integer> clientCounts, double seconds, double warmup, double rate, PrintStream out)
      throws Exception {
    Path dir = Files.createTempDirectory("sconej-cas-bench");
    SimPlatform platform =
        SimPlatform.generate(
            Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(1)));
    List<Result[]> results = new ArrayList<>();
    try (CasServer cas =
        CasServer.start(
            CasConfig.builder(dir)
                .port(0)
                .verifier(TeeMode.SIM, SimEvidenceVerifier.create(List.of(platform.certificate())))
                .build())) {
      createSession(cas);
      out.printf(
          "%-8s %-10s %10s %9s %9s %8s %10s %12s%n",
          "clients", "operation", "ops/s", "p50 ms", "p99 ms", "failed", "ratio", "cas cpu ms");
      for (int n : clientCounts) {
        Op handshake =
            () -> {
              KeyPair k = SelfSignedCert.newEcKeyPair();
              var id =
                  new CasConnection.ClientIdentity(
                      k, SelfSignedCert.create(k, "bench", Duration.ofHours(1)));
              try (CasConnection c =
                  CasConnection.create(
                      "127.0.0.1", cas.port(), cas.caCertificate(), Optional.of(id))) {
                var r = c.request("POST", "/v1/nonce", "application/json", "{}".getBytes());
                if (r.status() != 200) {
                  throw new IOException("status " + r.status());
                }
              }
            };
        Op attest =
            () -> {
              try (CasClient c = CasClient.create("127.0.0.1", cas.port(), cas.caCertificate())) {
                c.attest(
                    "bench/app/web",
                    rd -> SimEvidence.create(platform, MEASUREMENT, SimEvidence.NO_SIGNER, rd));
              }
            };
        Result base = measure(n, handshake, seconds, warmup);
        Result att = measure(n, attest, seconds, warmup);
        print(out, "tls+nonce", base, 1.0);
        print(out, "attest", att, att.perSecond() / base.perSecond());
        results.add(new Result[] {base, att});
        if (rate > 0 && n == clientCounts.getLast()) {
          Result open = measure(n, attest, seconds, warmup, rate);
          print(out, "attest@" + (int) rate, open, open.perSecond() / base.perSecond());
          results.add(new Result[] {base, open});
        }
      }
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    return results;
  }

  private static void print(PrintStream out, String what, Result r, double ratio) {
    out.printf(
        "%-8d %-10s %10.1f %9.2f %9.2f %8d %10.2f %12.2f%n",
        r.clients(),
        what,
        r.perSecond(),
        r.p50Millis(),
        r.p99Millis(),
        r.failures(),
        ratio,
        r.serverCpuMillisPerOp());
  }

  private static void createSession(CasServer cas) throws Exception {
    KeyPair k = SelfSignedCert.newEcKeyPair();
    var id =
        new CasConnection.ClientIdentity(k, SelfSignedCert.create(k, "owner", Duration.ofHours(1)));
    String yaml =
        "name: bench/app\nversion: 1\nservices:\n  - name: web\n    attestation:\n"
            + "      measurements: ["
            + HexFormat.of().formatHex(MEASUREMENT)
            + "]\n"
            + "      modes: [sim]\n    command: [java, -jar, app.jar]\n"
            + "    environment: {PW: $$SCONEJ::pw$$}\n"
            + "    volumes: [{name: data, path: /data, kind: encrypted}]\n"
            + "secrets:\n  - {name: pw, kind: ascii}\n  - {name: tls, kind: x509}\n"
            + "security: {tolerate: [simulation]}\n";
    try (CasConnection c =
        CasConnection.create("127.0.0.1", cas.port(), cas.caCertificate(), Optional.of(id))) {
      var r =
          c.request(
              "POST", "/v1/sessions", "application/yaml", yaml.getBytes(StandardCharsets.UTF_8));
      if (r.status() != 201) {
        throw new IllegalStateException("session creation failed: " + r.text());
      }
    }
  }

  static Result measure(int n, Op op, double seconds, double warmup) throws InterruptedException {
    return measure(n, op, seconds, warmup, 0);
  }

  /**
   * Runs {@code op} in {@code n} threads: warmup, then measures for {@code seconds}. With {@code
   * rate} 0 each thread issues operations back to back (closed loop); otherwise each thread issues
   * them on a fixed schedule of {@code rate / n} per second (open loop) and latency counts from the
   * scheduled start, so queueing behind a slow server is included.
   */
  static Result measure(int n, Op op, double seconds, double warmup, double rate)
      throws InterruptedException {
    long intervalNanos = rate > 0 ? (long) (n * 1e9 / rate) : 0;
    long start = System.nanoTime();
    long measureFrom = start + (long) (warmup * 1e9);
    long end = measureFrom + (long) (seconds * 1e9);
    AtomicLong failures = new AtomicLong();
    AtomicLong completed = new AtomicLong();
    List<long[]> perThread = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    int[] counts = new int[n];
    long[] clientCpu = new long[n];
    java.lang.management.ThreadMXBean tmx =
        java.lang.management.ManagementFactory.getThreadMXBean();
    var os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    for (int t = 0; t < n; t++) {
      long[] lat = new long[1 << 16];
      perThread.add(lat);
      int idx = t;
      threads.add(
          Thread.ofPlatform()
              .name("bench-client-" + t)
              .start(
                  () -> {
                    int c = 0;
                    boolean measuredOne = false;
                    long cpuFrom = -1;
                    long next = start + (intervalNanos * idx) / n;
                    while (true) {
                      long t0 = System.nanoTime();
                      if (intervalNanos > 0) {
                        if (next > t0) {
                          java.util.concurrent.locks.LockSupport.parkNanos(next - t0);
                        }
                        t0 = next;
                        next += intervalNanos;
                      }
                      if (t0 >= end && measuredOne) {
                        break; // a thread whose every call overran the window makes one more
                      }
                      if (cpuFrom < 0 && t0 >= measureFrom) {
                        cpuFrom = tmx.getCurrentThreadCpuTime();
                      }
                      boolean ok;
                      try {
                        op.run();
                        ok = true;
                      } catch (Exception e) {
                        ok = false;
                      }
                      long t1 = System.nanoTime();
                      if (ok && t1 >= measureFrom && t1 <= end) {
                        completed.incrementAndGet();
                      }
                      // Every operation issued in the window is measured, however late it ends:
                      // dropping the slow ones would flatter p99 under overload.
                      if (t0 >= measureFrom) {
                        measuredOne = true;
                        if (ok && c < lat.length) {
                          lat[c++] = t1 - t0;
                        } else if (!ok) {
                          failures.incrementAndGet();
                        }
                      }
                    }
                    counts[idx] = c;
                    clientCpu[idx] = cpuFrom < 0 ? 0 : tmx.getCurrentThreadCpuTime() - cpuFrom;
                  }));
    }
    java.util.concurrent.locks.LockSupport.parkNanos(measureFrom - System.nanoTime());
    long processCpuFrom = os.getProcessCpuTime();
    for (Thread th : threads) {
      th.join();
    }
    long processCpu = os.getProcessCpuTime() - processCpuFrom;
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int p = 0;
    for (int t = 0; t < n; t++) {
      System.arraycopy(perThread.get(t), 0, all, p, counts[t]);
      p += counts[t];
    }
    Arrays.sort(all);
    long serverCpu = processCpu - Arrays.stream(clientCpu).sum();
    return new Result(
        n,
        completed.get(),
        total,
        failures.get(),
        seconds,
        pct(all, 0.50),
        pct(all, 0.99),
        total == 0 ? Double.NaN : serverCpu / 1e6 / total);
  }

  private static double pct(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
  }
}
