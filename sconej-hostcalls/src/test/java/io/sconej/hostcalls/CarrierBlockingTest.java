package io.sconej.hostcalls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The JVM's version of SCONE's problem, asserted both ways: with one carrier, a virtual thread
 * blocked in a host read (a real FIFO with no data) stops every other virtual thread when host
 * calls are synchronous, and stops none when they are asynchronous.
 */
class CarrierBlockingTest {
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({"sync,false", "async,true"})
  void oneBlockedHostReadAndTheOtherVirtualThreads(String mode, boolean othersRun)
      throws Exception {
    Path fifo = dir.resolve("fifo");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo");
    Path probe = Files.writeString(dir.resolve("probe"), "x");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Djdk.virtualThreadScheduler.parallelism=1",
                    "-Djdk.virtualThreadScheduler.maxPoolSize=1",
                    "-cp",
                    System.getProperty("java.class.path"),
                    CarrierBlockingChild.class.getName(),
                    mode,
                    fifo.toString(),
                    probe.toString()))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("child.out").toFile())
            .start();
    boolean exited = p.waitFor(60, TimeUnit.SECONDS);
    if (!exited) {
      p.destroyForcibly();
    }
    String out = Files.readString(dir.resolve("child.out"));
    assertTrue(exited, "child hangs: " + out);
    assertTrue(out.contains("others-ran-while-blocked=" + othersRun), out);
    assertTrue(out.contains("reader-finished=true"), out);
    assertTrue(out.contains("others-ran-after=true"), out);
    assertEquals(0, p.exitValue(), out);
  }
}
