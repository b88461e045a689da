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
}
