package io.sconej.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.attestation.TeeMode;
import io.sconej.hostcalls.CheckedHostCalls;
import io.sconej.hostcalls.HostCallConfig;
import io.sconej.hostcalls.HostCallsFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostCallSettingsTest {
  static final String CAS = "ab".repeat(32);
  static final LaunchSettings ASYNC3 = new LaunchSettings(TeeMode.SIM, 3, "async", CAS);
  static final LaunchSettings SYNC2 = new LaunchSettings(TeeMode.SIM, 2, "sync", CAS);

  @Test
  void theSessionWinsTheLaunchFillsInTheDefaultsDoTheRest() throws Exception {
    HostCallConfig c =
        HostCallSettings.resolve(
            ASYNC3,
            Map.of("sthreads", "3", "slots", "128", "cspins", "10"),
            Map.of("mode", "async", "sthreads", "2", "slots", "64"));
    HostCallConfig d = HostCallConfig.defaults();
    assertEquals(HostCallConfig.Mode.ASYNC, c.mode());
    assertEquals(3, c.ethreads(), "the launch's (measured) ethreads");
    assertEquals(2, c.sthreads(), "session over launch");
    assertEquals(64, c.slots(), "session over launch");
    assertEquals(10, c.callerSpins(), "launch over default");
    assertEquals(d.queues(), c.queues());
    assertEquals(d.slotBytes(), c.slotBytes());
    assertEquals(d.spins(), c.spins());
    assertEquals(d.sleep(), c.sleep());
    assertEquals(d.callTimeout(), c.callTimeout());
    assertEquals(0, c.exitCycles(), "no emulated exit cost in sconej run");
  }

  @Test
  void withoutASessionModeTheLaunchsModeHolds() throws Exception {
    HostCallConfig c = HostCallSettings.resolve(SYNC2, Map.of(), Map.of("timeoutMillis", "5"));
    assertEquals(HostCallConfig.Mode.SYNC, c.mode(), "not HostCallConfig's default (async)");
    assertEquals(2, c.ethreads());
    assertEquals(Duration.ofMillis(5), c.callTimeout());
  }

  @Test
  void aSessionModeOtherThanTheMeasuredOneIsRefusedWithExit3() {
    LaunchException e =
        assertThrows(
            LaunchException.class,
            () -> HostCallSettings.resolve(ASYNC3, Map.of(), Map.of("mode", "sync")));
    assertEquals(3, e.exitCode());
    assertEquals(
        "the session requires hostcalls mode sync but the enclave was launched with --hostcalls"
            + " async (launch with --hostcalls sync)",
        e.getMessage());
    assertEquals(
        3,
        assertThrows(
                LaunchException.class,
                () -> HostCallSettings.resolve(SYNC2, Map.of(), Map.of("mode", "async")))
            .exitCode());
  }

  @Test
  void aSessionValueTheRuntimeRefusesStopsTheStart() {
    LaunchException e =
        assertThrows(
            LaunchException.class,
            () -> HostCallSettings.resolve(ASYNC3, Map.of(), Map.of("slots", "0")));
    assertEquals(2, e.exitCode());
    assertTrue(e.getMessage().contains("sconej.hostcalls.slots"), e.getMessage());
    LaunchException unknown =
        assertThrows(
            LaunchException.class,
            () -> HostCallSettings.resolve(ASYNC3, Map.of(), Map.of("exitCycles", "8000")));
    assertTrue(unknown.getMessage().contains("exitCycles"), unknown.getMessage());
  }

  @Test
  void launchOptionsAreParsedAndCheckedByKey() {
    assertEquals(
        Map.of("sthreads", "2", "ssleepMicros", "500"),
        HostCallSettings.parseLaunchOptions(List.of("sthreads=2", " ssleepMicros = 500 ")));
    for (String[] c :
        new String[][] {
          {"slots=0", "--hostcall slots: out of range"},
          {"mode=async", "--hostcalls sync|async"},
          {"ethreads=4", "--ethreads N"},
          {"exitCycles=8000", "--hostcall exitCycles: unknown host-call setting"},
          {"slots", "--hostcall needs KEY=VALUE"},
          {"slotBytes=100", "--hostcall slotBytes: not a multiple of 64"},
          {"sthreads=two", "--hostcall sthreads: not a whole number"},
        }) {
      var e =
          assertThrows(
              IllegalArgumentException.class,
              () -> HostCallSettings.parseLaunchOptions(List.of(c[0])),
              c[0]);
      assertTrue(e.getMessage().contains(c[1]), c[0] + ": " + e.getMessage());
    }
    var twice =
        assertThrows(
            IllegalArgumentException.class,
            () -> HostCallSettings.parseLaunchOptions(List.of("slots=8", "slots=16")));
    assertEquals("--hostcall slots: given twice", twice.getMessage());
  }

  @Test
  void theEnclaveLaunchArgumentsCarryRepeatedHostCallOptions() throws Exception {
    LaunchArgs la =
        LaunchArgs.parse(
            new String[] {
              "--cas", "127.0.0.1:1", "--cas-ca", "ca.pem", "--config-id", "s/a",
              "--runtime-class-path", "r.jar", "--app-class-path", "a.jar",
              "--hostcalls", "async", "--hostcall", "sthreads=2", "--hostcall", "slots=64"
            });
    assertEquals(Map.of("sthreads", "2", "slots", "64"), la.hostCallOptions());
    assertEquals("async", la.hostCalls());
    LaunchException e =
        assertThrows(
            LaunchException.class,
            () ->
                LaunchArgs.parse(
                    new String[] {
                      "--cas", "127.0.0.1:1", "--cas-ca", "ca.pem", "--config-id", "s/a",
                      "--runtime-class-path", "r.jar", "--app-class-path", "a.jar",
                      "--hostcall", "queues=0"
                    }));
    assertEquals(2, e.exitCode());
  }

  @Test
  void theDescriptionIsReadFromTheLiveHostCalls() throws Exception {
    HostCallConfig c =
        HostCallSettings.resolve(ASYNC3, Map.of(), Map.of("sthreads", "2", "slots", "64"));
    try (CheckedHostCalls h = HostCallsFactory.create(c)) {
      String line = HostCallSettings.describe(h);
      assertTrue(
          line.startsWith("sconej hostcalls: mode=async ethreads=3 sthreads=2 queues=1 slots=64 "),
          line);
      assertTrue(line.endsWith(" requests=0"), line);
      h.stat("/");
      assertTrue(HostCallSettings.describe(h).endsWith(" requests=1"));
    }
    HostCallConfig s = HostCallSettings.resolve(SYNC2, Map.of(), Map.of());
    try (CheckedHostCalls h = HostCallsFactory.create(s)) {
      assertTrue(HostCallSettings.describe(h).startsWith("sconej hostcalls: mode=sync"));
    }
  }
}
