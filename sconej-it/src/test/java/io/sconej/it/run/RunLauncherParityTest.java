package io.sconej.it.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/sconej run} starts the enclave JVM from the shell script (no launcher JVM); {@code
 * RunCommand} builds the same command in Java. The two must agree argument for argument, or the
 * fast path would launch an enclave other than the one documented and measured.
 */
class RunLauncherParityTest {
  @TempDir Path work;

  private List<String> both(SconejHarness h, String... args) throws Exception {
    List<String> withFlag = new ArrayList<>(List.of(args));
    withFlag.add("--print-command");
    SconejHarness.Result java = h.sconej(withFlag.toArray(String[]::new));
    SconejHarness.Result script = h.sconej(Map.of("SCONEJ_PRINT_COMMAND", "1"), args);
    assertEquals(0, java.exit(), java.err());
    assertEquals(0, script.exit(), script.err());
    assertEquals(java.out(), script.out(), "bin/sconej and RunCommand build different commands");
    return script.out().lines().toList();
  }

  @Test
  void scriptAndRunCommandBuildTheSameEnclaveCommand() throws Exception {
    SconejHarness h = new SconejHarness(work);
    Files.createDirectories(work.resolve("lib"));
    Files.writeString(work.resolve("lib/a.jar"), "not measured here");
    Files.createDirectories(work.resolve("classes"));
    List<String> minimal = both(h, "run", "--cas", "127.0.0.1:1", "--cas-ca", "ca.pem",
        "--config-id", "s/app", "--class-path", "lib/a.jar", "--platform", "plat");
    assertTrue(minimal.contains("-XX:ActiveProcessorCount=2"), minimal.toString());
    assertTrue(minimal.contains(work.resolve("lib/a.jar").toString()), minimal.toString());

    List<String> full = both(h, "run", "--volume", "data=vd", "--platform", "plat",
        "--ethreads", "3", "--hostcalls", "async", "--mode", "sim", "--config-id", "s/app",
        "--class-path", "./classes/../lib/a.jar:" + work.resolve("classes") + ":",
        "--hostcall", "slots=64", "--volume", "logs=" + work.resolve("vl"), "--cas-ca", "ca.pem",
        "--hostcall", "sthreads=2", "--cas", "h:2", "--cas-identity", "0a".repeat(32));
    assertTrue(full.contains("-Dsconej.hostcalls.mode=async"), full.toString());
    assertTrue(full.contains("-XX:ActiveProcessorCount=3"), full.toString());
    assertTrue(String.join(" ", full).contains("--cas-identity " + "0a".repeat(32)),
        full.toString());
    assertTrue(full.contains("-XX:-CreateCoredumpOnCrash") && full.contains(
        "-XX:ErrorFile=/dev/null"), full.toString());
    assertTrue(String.join(" ", full).contains("--hostcall slots=64 --hostcall sthreads=2"),
        full.toString());
  }

  @Test
  void unusualArgumentsFallBackToRunCommandWhichExplains() throws Exception {
    SconejHarness h = new SconejHarness(work);
    SconejHarness.Result r = h.sconej("run", "--cas", "h:1", "--cas-ca", "c", "--config-id",
        "s/a", "--class-path", "missing.jar", "--platform", "p");
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains("missing.jar"), r.err());
    r = h.sconej("run", "--ethreads", "zero", "--class-path", "x");
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains("zero"), r.err());
  }
}
