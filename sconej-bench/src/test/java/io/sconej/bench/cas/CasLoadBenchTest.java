package io.sconej.bench.cas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class CasLoadBenchTest {
  private static void check(List<CasLoadBench.Result[]> results) {
    for (CasLoadBench.Result[] r : results) {
      assertEquals(0, r[0].failures(), "baseline failures");
      assertEquals(0, r[1].failures(), "attestation failures");
      assertTrue(r[1].measured() > 0, "some attestations were measured");
    }
  }

  /** Short version in the default run: the harness works and no request fails. */
  @Test
  void shortRunHasNoFailures() throws Exception {
    var out = new ByteArrayOutputStream();
    check(
        CasLoadBench.run(
            List.of(1, 8), 2, 1, 8, new PrintStream(out, true, StandardCharsets.UTF_8)));
  }

  @Test
  @Tag("long")
  void fullRun() throws Exception {
    check(CasLoadBench.run(List.of(1, 16, 64), 10, 3, 300, System.out));
  }
}
