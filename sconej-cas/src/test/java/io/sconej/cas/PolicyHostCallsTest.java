package io.sconej.cas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A service's {@code hostcalls} map in the policy: accepted values and each refusal. */
class PolicyHostCallsTest {
  /** A one-service policy whose service ends with {@code extra} (line 8 onwards). */
  static String policy(String extra) {
    return """
        name: acme/hc
        version: 1
        services:
          - name: app
            attestation:
              measurements: [%s]
              modes: [sim]
        %s
        security: {tolerate: [simulation]}
        """
        .formatted("ab".repeat(32), extra.indent(4).stripTrailing());
  }

  @Test
  void everyHostCallKeyIsCarriedInCanonicalForm() {
    SessionPolicy p =
        PolicyParser.parse(
            policy(
                "hostcalls: {mode: ASYNC, sthreads: 2, queues: 1, slots: 64, slotBytes: 4096,"
                    + " sspins: 20000, ssleepMicros: 1000, cspins: 2000, timeoutMillis: 30000}"));
    assertEquals(
        Map.of(
            "mode", "async",
            "sthreads", "2",
            "queues", "1",
            "slots", "64",
            "slotBytes", "4096",
            "sspins", "20000",
            "ssleepMicros", "1000",
            "cspins", "2000",
            "timeoutMillis", "30000"),
        p.services().get("app").hostCalls());
  }

  @Test
  void absentOrEmptyMeansTheSessionSetsNothing() {
    assertEquals(Map.of(), PolicyParser.parse(policy("ethreads: 2")).services().get("app")
        .hostCalls());
    assertEquals(Map.of(), PolicyParser.parse(policy("hostcalls: {}")).services().get("app")
        .hostCalls());
  }

  static Stream<Arguments> refused() {
    String f = "'services[0].hostcalls";
    return Stream.of(
        Arguments.of("hostcalls: {bogus: 1}", List.of(f + ".bogus'", "unknown field")),
        Arguments.of("hostcalls: {ethreads: 2}", List.of(f + ".ethreads'", "unknown field")),
        Arguments.of("hostcalls: {exitCycles: 8000}", List.of(f + ".exitCycles'", "unknown")),
        Arguments.of("hostcalls: {mode: fast}", List.of(f + ".mode'", "async, sync")),
        Arguments.of("hostcalls: {slots: 0}", List.of(f + ".slots'", "out of range [1, 65536]")),
        Arguments.of("hostcalls: {slots: 70000}", List.of(f + ".slots'", "out of range")),
        Arguments.of("hostcalls: {sthreads: 2000}", List.of(f + ".sthreads'", "[1, 1024]")),
        Arguments.of("hostcalls: {queues: 0}", List.of(f + ".queues'", "out of range")),
        Arguments.of("hostcalls: {slotBytes: 100}", List.of(f + ".slotBytes'", "multiple of 64")),
        Arguments.of("hostcalls: {ssleepMicros: 0}", List.of(f + ".ssleepMicros'", "positive")),
        Arguments.of("hostcalls: {timeoutMillis: -5}", List.of(f + ".timeoutMillis'", "between")),
        Arguments.of("hostcalls: {sspins: lots}", List.of(f + ".sspins'", "integer")),
        Arguments.of("hostcalls: {cspins: 1.5}", List.of(f + ".cspins'", "integer")),
        Arguments.of("hostcalls: [async]", List.of(f + "'", "mapping")),
        Arguments.of("hostcalls: {slots: 1, slots: 2}", List.of("line 8", "slots")));
  }

  @ParameterizedTest
  @MethodSource("refused")
  void badHostCallSettingsAreRefusedNamingTheKeyAndLine(String extra, List<String> fragments) {
    CasException e = assertThrows(CasException.class, () -> PolicyParser.parse(policy(extra)));
    for (String frag : fragments) {
      assertTrue(e.getMessage().contains(frag), "'" + e.getMessage() + "' lacks '" + frag + "'");
    }
    assertTrue(e.getMessage().startsWith("policy line 8"), e.getMessage());
  }
}
