package io.sconej.cas;

import static io.sconej.cas.PolicyHostCallsTest.policy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A service's {@code host_environment}: the only way a host variable reaches the application. */
class PolicyHostEnvironmentTest {
  @Test
  void namesAreCarriedInOrderAndAbsentMeansNone() {
    assertEquals(List.of("PORT", "TZ"), PolicyParser.parse(policy("host_environment: [PORT, TZ]"))
        .services().get("app").hostEnvironment());
    assertEquals(List.of(), PolicyParser.parse(policy("ethreads: 2")).services().get("app")
        .hostEnvironment());
  }

  static Stream<Arguments> badCases() {
    return Stream.of(
        Arguments.of("host_environment: [A=B]", "not an environment variable name"),
        Arguments.of("host_environment: [1X]", "not an environment variable name"),
        Arguments.of("host_environment: [PORT, PORT]", "listed twice"),
        Arguments.of("environment: {PORT: '80'}\nhost_environment: [PORT]",
            "also set by the session"),
        Arguments.of("host_environment: PORT", "host_environment"));
  }

  @ParameterizedTest
  @MethodSource("badCases")
  void badNamesAreRefusedNamingTheProblem(String extra, String fragment) {
    CasException e = assertThrows(CasException.class, () -> PolicyParser.parse(policy(extra)));
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
    assertTrue(e.getMessage().contains("host_environment"), e.getMessage());
  }
}
