package io.sconej.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionEnvironmentComposeTest {
  @Test
  void onlyImportedHostVariablesJoinTheSessionsAndOnlyIfSet() {
    Map<String, String> host = Map.of("PORT", "8080", "HOME", "/root", "AWS_SECRET", "x");
    assertEquals(Map.of("GREETING", "hi", "PORT", "8080"),
        SessionEnvironment.compose(Map.of("GREETING", "hi"), List.of("PORT", "TZ"), host));
    assertEquals(Map.of(), SessionEnvironment.compose(Map.of(), List.of(), host));
  }
}
