package io.sconej.hostcalls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostCallConfigTest {
  @Test
  void parsesEveryKeyAndRoundTrips() {
    HostCallConfig c =
        HostCallConfig.fromMap(
            Map.ofEntries(
                Map.entry("sconej.hostcalls.mode", "SYNC"),
                Map.entry("sconej.hostcalls.ethreads", "2"),
                Map.entry("sconej.hostcalls.sthreads", "3"),
                Map.entry("sconej.hostcalls.queues", "4"),
                Map.entry("sconej.hostcalls.slots", "5"),
                Map.entry("sconej.hostcalls.slotBytes", "128"),
                Map.entry("sconej.hostcalls.sspins", "7"),
                Map.entry("sconej.hostcalls.ssleepMicros", "8"),
                Map.entry("sconej.hostcalls.cspins", "9"),
                Map.entry("sconej.hostcalls.timeoutMillis", "10"),
                Map.entry("sconej.hostcalls.exitCycles", "8000"),
                Map.entry("sconej.hostcalls.cpuGhz", "2.5"),
                Map.entry("unrelated.key", "ignored")));
    assertEquals(HostCallConfig.Mode.SYNC, c.mode());
    assertEquals(3, c.sthreads());
    assertEquals(Duration.ofNanos(8000), c.sleep());
    assertEquals(Duration.ofMillis(10), c.callTimeout());
    assertEquals(c, HostCallConfig.defaults().with(c.toMap()));
    assertEquals(3200, ExitCost.of(c).nanos());
  }

  @Test
  void errorsNameTheKey() {
    for (var bad :
        Map.of(
                "sconej.hostcalls.sthreads", "0",
                "sconej.hostcalls.slots", "many",
                "sconej.hostcalls.mode", "turbo",
                "sconej.hostcalls.slotBytes", "100",
                "sconej.hostcalls.ssleepMicros", "0",
                "sconej.hostcalls.sspinz", "1")
            .entrySet()) {
      var e =
          assertThrows(
              IllegalArgumentException.class, () -> HostCallConfig.fromMap(Map.of(bad.getKey(), bad.getValue())));
      assertTrue(e.getMessage().startsWith(bad.getKey() + ":"), e.getMessage());
    }
  }
}
