package io.sconej.cas;

import static io.sconej.cas.PolicyHostCallsTest.policy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A service's {@code default_region}: what file access outside its volumes does. */
class PolicyDefaultRegionTest {
  @Test
  void unprotectedByDefaultRefuseOnRequestAnythingElseRefused() {
    assertEquals("unprotected", PolicyParser.parse(policy("ethreads: 2")).services().get("app")
        .defaultRegion());
    assertEquals("refuse", PolicyParser.parse(policy("default_region: refuse")).services()
        .get("app").defaultRegion());
    CasException e = assertThrows(CasException.class,
        () -> PolicyParser.parse(policy("default_region: encrypted")));
    assertTrue(e.getMessage().contains("default_region"), e.getMessage());
  }
}
