package io.sconej.bench.hostcalls;

import io.sconej.hostcalls.CheckedHostCalls;
import io.sconej.hostcalls.HostCallConfig;
import io.sconej.hostcalls.HostCalls;
import io.sconej.hostcalls.HostCallsFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-caller round trip of one host call ({@code size}, an fstat), sync versus async, with and
 * without the emulated exit cost. The many-virtual-thread comparison is {@link HostCallBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Djdk.virtualThreadScheduler.parallelism=2")
public class RoundTripJmh {
  @Param({"sync", "async"})
  public String mode;

  @Param({"0", "8000"})
  public long exitCycles;

  private CheckedHostCalls host;
  private Path file;
  private long fd;

  @Setup
  public void setup() throws IOException {
    host = HostCallsFactory.create(HostCallConfig.fromMap(Map.of(
        "sconej.hostcalls.mode", mode, "sconej.hostcalls.exitCycles", Long.toString(exitCycles))));
    file = Files.createTempFile("sconej-jmh", ".bin");
    fd = host.open(file.toString(), HostCalls.READ);
  }

  @TearDown
  public void tearDown() throws IOException {
    host.close();
    Files.deleteIfExists(file);
  }

  @Benchmark
  public long size() throws IOException {
    return host.size(fd);
  }
}
