package io.sconej.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The enclave's launch arguments: repeats refused, the CAS address checked, debug read. */
class LaunchArgsTest {
  private static final List<String> BASE = List.of("--cas", "127.0.0.1:1", "--cas-ca", "ca.pem",
      "--config-id", "s/a", "--runtime-class-path", "r.jar", "--app-class-path", "a.jar");

  private static String[] args(String... more) {
    List<String> l = new ArrayList<>(BASE);
    l.addAll(List.of(more));
    return l.toArray(String[]::new);
  }

  private static LaunchException refused(String... args) {
    LaunchException e = assertThrows(LaunchException.class, () -> LaunchArgs.parse(args));
    assertEquals(2, e.exitCode(), e.getMessage());
    return e;
  }

  @Test
  void aVolumeNameGivenTwiceIsRefusedNotReplaced() throws Exception {
    assertEquals(2, LaunchArgs.parse(args("--volume", "a=/x", "--volume", "b=/y"))
        .volumeDirs().size());
    assertEquals("--volume data given more than once",
        refused(args("--volume", "data=/A", "--volume", "data=/B")).getMessage());
    assertTrue(refused(args("--volume", "data=")).getMessage().contains("NAME=HOST_DIR"));
  }

  @Test
  void anyOtherRepeatedLaunchArgumentIsRefused() {
    assertEquals("enclave launch argument --cas given more than once",
        refused(args("--cas", "127.0.0.1:2")).getMessage());
    assertTrue(refused(args("--ethreads", "2", "--ethreads", "4")).getMessage()
        .contains("--ethreads given more than once"));
  }

  @Test
  void aMalformedCasAddressIsBadInputNamingIt() {
    List<String> l = new ArrayList<>(BASE);
    l.set(1, "https://127.0.0.1:99999");
    assertTrue(refused(l.toArray(String[]::new)).getMessage()
        .contains("'https://127.0.0.1:99999' (port 99999 is out of range"));
    l.set(1, "127.0.0.1:x");
    assertTrue(refused(l.toArray(String[]::new)).getMessage().contains("'127.0.0.1:x'"));
    assertTrue(refused(args("--ethreads", "two")).getMessage().contains("'two'"));
  }

  @Test
  void debugIsAHostFlagForDiagnosticsOnly() throws Exception {
    assertTrue(LaunchArgs.debug(args("--debug", "1")));
    assertFalse(LaunchArgs.debug(args()));
    assertFalse(LaunchArgs.debug(args("--debug", "0")));
    assertEquals(LaunchArgs.parse(args()), LaunchArgs.parse(args("--debug", "1")));
  }

  @Test
  void whereThingsAreMayComeFromTheEnvironmentOfAnImage() throws Exception {
    String[] fixed = {"--runtime-class-path", "r.jar", "--app-class-path", "a.jar"};
    LaunchArgs la = LaunchArgs.parse(fixed, java.util.Map.of("SCONEJ_CAS_ADDR", "127.0.0.1:7",
        "SCONEJ_CAS_CA", "/ca.pem", "SCONEJ_CONFIG_ID", "s/a", "SCONEJ_PLATFORM", "/plat",
        "SCONEJ_VOLUMES", "data=/v/d:logs=/v/l"));
    assertEquals(7, la.casPort());
    assertEquals(java.nio.file.Path.of("/ca.pem"), la.casCa());
    assertEquals("s/a", la.configId());
    assertEquals(java.nio.file.Path.of("/plat"), la.platformDir());
    assertEquals(java.util.Map.of("data", java.nio.file.Path.of("/v/d"), "logs",
        java.nio.file.Path.of("/v/l")), la.volumeDirs());
  }

  @Test
  void aLaunchArgumentGivenAlsoAsAVariableOrAnEmptyVariableIsRefused() {
    LaunchException both = assertThrows(LaunchException.class,
        () -> LaunchArgs.parse(args(), java.util.Map.of("SCONEJ_CAS_ADDR", "127.0.0.1:2")));
    assertEquals("--cas is given both as an argument and as SCONEJ_CAS_ADDR", both.getMessage());
    assertEquals(2, both.exitCode());
    LaunchException empty = assertThrows(LaunchException.class,
        () -> LaunchArgs.parse(new String[] {"--runtime-class-path", "r.jar"},
            java.util.Map.of("SCONEJ_CONFIG_ID", "")));
    assertEquals("the environment variable SCONEJ_CONFIG_ID is empty", empty.getMessage());
    assertEquals("missing enclave launch argument --cas (or the variable SCONEJ_CAS_ADDR)",
        assertThrows(LaunchException.class, () -> LaunchArgs.parse(new String[0], java.util.Map.of(
            "SCONEJ_CONFIG_ID", "s/a"))).getMessage());
    assertEquals(2, assertThrows(LaunchException.class, () -> LaunchArgs.parse(
        args("--volume", "data=/y"), java.util.Map.of("SCONEJ_VOLUMES", "data=/x"))).exitCode());
  }
}
