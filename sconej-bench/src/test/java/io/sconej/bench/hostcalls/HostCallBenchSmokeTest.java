package io.sconej.bench.hostcalls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Runs every benchmark workload briefly, in this JVM: checks that it works, not how fast. */
class HostCallBenchSmokeTest {
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({
    "roundtrip,sync,0,16", "roundtrip,async,0,16", "roundtrip,sync,8000,4",
    "roundtrip,async,8000,64", "file,sync,0,8", "file,async,0,32", "shield,sync,0,8",
    "shield,async,8000,64"
  })
  void workloadRuns(String workload, String mode, long exitCycles, int threads) throws Exception {
    var r = HostCallBench.measure(
        new HostCallBench.Spec(workload, mode, exitCycles, threads, 100, 200,
            Map.of("sconej.hostcalls.sspins", "1000")), dir);
    assertTrue(r.ops() > 0, "no operation completed");
    assertEquals(0, r.errors());
  }
}
