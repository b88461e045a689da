package io.sconej.cas;

import static io.sconej.cas.PolicyHostCallsTest.policy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A volume's {@code on_violation}: abort by default, error on request, nothing else. */
class PolicyOnViolationTest {
  static String volume(String extra) {
    return """
        volumes:
          - name: data
            path: /data
            kind: encrypted
        %s""".formatted(extra.indent(4).stripTrailing());
  }

  @Test
  void abortByDefaultErrorOnRequestAnythingElseRefusedNamingTheLine() {
    assertEquals("abort", PolicyParser.parse(policy(volume(""))).services().get("app")
        .volumes().getFirst().onViolation());
    assertEquals("error", PolicyParser.parse(policy(volume("on_violation: error"))).services()
        .get("app").volumes().getFirst().onViolation());
    assertEquals("abort", PolicyParser.parse(policy(volume("on_violation: abort"))).services()
        .get("app").volumes().getFirst().onViolation());
    CasException e = assertThrows(CasException.class,
        () -> PolicyParser.parse(policy(volume("on_violation: ignore"))));
    assertTrue(e.getMessage().contains("on_violation"), e.getMessage());
    assertTrue(e.getMessage().contains("line 12"), e.getMessage());
    assertTrue(e.getMessage().contains("abort, error"), e.getMessage());
  }
}
