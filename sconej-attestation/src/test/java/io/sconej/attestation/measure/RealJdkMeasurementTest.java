package io.sconej.attestation.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Measures the JDK running the tests twice: equal results and a bounded cost. */
class RealJdkMeasurementTest {
  @Test
  void measuringTheRunningJdkIsStableAndFast() throws IOException {
    Path home = Path.of(System.getProperty("java.home"));
    long t0 = System.nanoTime();
    Measurement first = Measurement.builder().javaHome(home).mainClass("x.Y").build();
    long t1 = System.nanoTime();
    Measurement second = Measurement.builder().javaHome(home).mainClass("x.Y").build();
    long t2 = System.nanoTime();
    assertEquals(first.hex(), second.hex());
    assertTrue(first.manifest().stream().anyMatch(l -> l.endsWith(" lib/modules")));
    System.out.printf(
        "measured %s: first %d ms, second %d ms, %d files%n",
        home, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, first.manifest().size() - 6);
    assertTrue((t2 - t1) < 20_000_000_000L, "measuring the JDK took over 20 s");
  }
}
