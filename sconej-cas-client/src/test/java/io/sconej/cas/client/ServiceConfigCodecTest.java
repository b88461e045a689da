package io.sconej.cas.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.crypto.InsecureSecretAccess;
import io.sconej.crypto.SecretBytes;
import io.sconej.crypto.json.Json;
import io.sconej.crypto.json.JsonException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServiceConfigCodecTest {
  @Test
  void roundTripsAndRedactsInToString() throws Exception {
    byte[] key = new byte[32];
    key[0] = 7;
    byte[] ck = new byte[32];
    ck[31] = 9;
    ServiceConfig c =
        new ServiceConfig(
            "acme/db",
            "web",
            "ab".repeat(32),
            List.of("java", "-jar", "app.jar"),
            Map.of("PW", "s3cret-value"),
            List.of("PORT", "TZ"),
            Map.of("/etc/x", "content"),
            List.of(
                new VolumeConfig(
                    "data",
                    "/data",
                    "encrypted",
                    SecretBytes.copyOf(key),
                    Optional.of(new byte[] {1, 2}),
                    Optional.empty(),
                    VolumeConfig.ERROR)),
            Map.of("pw", new ReleasedSecret("ascii", "s3cret-value", Optional.empty())),
            4,
            Map.of("mode", "async", "sthreads", "2", "slots", "64"),
            "refuse",
            "protected",
            Optional.of(SecretBytes.copyOf(ck)),
            new ProcessConfig(Optional.of("/data/app"), Optional.of("de-CH"),
                Optional.of("/data/tmp")));
    ServiceConfig back =
        ServiceConfigCodec.fromJson(Json.parseObject(Json.write(ServiceConfigCodec.toJson(c))));
    assertEquals(c.command(), back.command());
    assertEquals(c.environment(), back.environment());
    assertEquals(List.of("PORT", "TZ"), back.hostEnvironment());
    assertEquals(c.files(), back.files());
    assertEquals("s3cret-value", back.secrets().get("pw").value());
    assertArrayEquals(key, back.volumes().get(0).key().bytes(InsecureSecretAccess.get()));
    assertArrayEquals(new byte[] {1, 2}, back.volumes().get(0).committedTag().orElseThrow());
    assertTrue(back.volumes().get(0).pendingTag().isEmpty());
    assertEquals("error", back.volumes().get(0).onViolation());
    assertEquals(4, back.ethreads());
    assertEquals(c.hostCalls(), back.hostCalls());
    assertEquals("refuse", back.defaultRegion());
    assertArrayEquals(ck, back.consoleKey().orElseThrow().bytes(InsecureSecretAccess.get()));
    assertEquals(c.process(), back.process());
    assertFalse(back.toString().contains("09"), back.toString());
    assertFalse(back.toString().contains("s3cret"));
    assertFalse(back.secrets().get("pw").toString().contains("s3cret"));
  }

  @Test
  void consoleKeyMustMatchTheConsoleMode() throws Exception {
    ServiceConfig plain =
        new ServiceConfig(
            "s", "w", "ab".repeat(32), List.of("x"), Map.of(), List.of(), Map.of(), List.of(),
            Map.of(), 0,
            Map.of(), "unprotected", "unprotected", Optional.empty(),
            ProcessConfig.DEFAULTS);
    Map<String, Object> m = ServiceConfigCodec.toJson(plain);
    assertTrue(ServiceConfigCodec.fromJson(m).consoleKey().isEmpty());
    m.put("console", "protected"); // protected without a key: the shield would have no key
    var e = assertThrows(JsonException.class, () -> ServiceConfigCodec.fromJson(m));
    assertTrue(e.getMessage().contains("'console_key'"), e.getMessage());
    m.put("console_key", "ab".repeat(16)); // 16 bytes: refused
    assertThrows(JsonException.class, () -> ServiceConfigCodec.fromJson(m));
    m.put("console", "unprotected");
    m.put("console_key", "ab".repeat(32)); // a key for an unprotected console: refused
    assertThrows(JsonException.class, () -> ServiceConfigCodec.fromJson(m));
  }

  @Test
  void hostEnvironmentHoldsOnlyDistinctVariableNames() throws Exception {
    ServiceConfig plain =
        new ServiceConfig(
            "s", "w", "ab".repeat(32), List.of("x"), Map.of(), List.of("PORT"), Map.of(),
            List.of(), Map.of(), 0, Map.of(), "unprotected", "unprotected", Optional.empty(),
            ProcessConfig.DEFAULTS);
    Map<String, Object> m = ServiceConfigCodec.toJson(plain);
    for (Object bad : List.of(List.of("A=B"), List.of("PORT", "PORT"), List.of(1L))) {
      m.put("host_environment", bad);
      var e = assertThrows(JsonException.class, () -> ServiceConfigCodec.fromJson(m));
      assertTrue(e.getMessage().contains("host_environment"), e.getMessage());
    }
    m.remove("host_environment");
    assertThrows(JsonException.class, () -> ServiceConfigCodec.fromJson(m));
  }

  @Test
  void processValuesAreOptionalButCheckedWhenPresent() throws Exception {
    ServiceConfig plain =
        new ServiceConfig(
            "s", "w", "ab".repeat(32), List.of("x"), Map.of(), List.of(), Map.of(), List.of(),
            Map.of(), 0, Map.of(), "unprotected", "unprotected", Optional.empty(),
            ProcessConfig.DEFAULTS);
    Map<String, Object> m = ServiceConfigCodec.toJson(plain);
    assertEquals(ProcessConfig.DEFAULTS, ServiceConfigCodec.fromJson(m).process());
    m.remove("locale"); // absent is the same as null
    assertEquals(ProcessConfig.DEFAULTS, ServiceConfigCodec.fromJson(m).process());
    for (var bad : List.of(Map.entry("working_dir", "data"), Map.entry("tmp_dir", "/data/../tmp"),
        Map.entry("tmp_dir", "/data/"), Map.entry("locale", "not a tag"),
        Map.entry("locale", "en-US-u-nu-arab"))) {
      Map<String, Object> b = new java.util.HashMap<>(m);
      b.put(bad.getKey(), bad.getValue());
      var e = assertThrows(JsonException.class, () -> ServiceConfigCodec.fromJson(b));
      assertTrue(e.getMessage().contains("'" + bad.getKey() + "'"), e.getMessage());
    }
  }

  @Test
  void refusesMissingAndMistypedFieldsByName() {
    var e =
        assertThrows(
            JsonException.class,
            () -> ServiceConfigCodec.fromJson(Json.parseObject("{\"command\": \"x\"}")));
    assertTrue(e.getMessage().contains("'command'"), e.getMessage());
  }

  @Test
  void hostCallsAreTypedAndLimitedToTheKnownKeys() throws Exception {
    ServiceConfig plain =
        new ServiceConfig(
            "s", "w", "ab".repeat(32), List.of("x"), Map.of(), List.of(), Map.of(), List.of(),
            Map.of(), 0,
            Map.of("mode", "sync", "timeoutMillis", "5000"), "unprotected", "unprotected",
            Optional.empty(), ProcessConfig.DEFAULTS);
    String json = Json.write(ServiceConfigCodec.toJson(plain));
    assertTrue(json.contains("\"hostcalls\":{\"mode\":\"sync\",\"timeoutMillis\":5000}"), json);
    assertEquals(
        Map.of("mode", "sync", "timeoutMillis", "5000"),
        ServiceConfigCodec.fromJson(Json.parseObject(json)).hostCalls());
    Map<String, Object> m = ServiceConfigCodec.toJson(plain);
    m.remove("hostcalls");
    var missing = assertThrows(JsonException.class, () -> ServiceConfigCodec.fromJson(m));
    assertTrue(missing.getMessage().contains("'hostcalls'"), missing.getMessage());
    m.put("hostcalls", Map.of("ethreads", 2L)); // a service-level field, not a host-call key
    var unknown = assertThrows(JsonException.class, () -> ServiceConfigCodec.fromJson(m));
    assertTrue(unknown.getMessage().contains("'hostcalls.ethreads'"), unknown.getMessage());
    m.put("hostcalls", Map.of("slots", "64"));
    var mistyped = assertThrows(JsonException.class, () -> ServiceConfigCodec.fromJson(m));
    assertTrue(mistyped.getMessage().contains("'hostcalls.slots'"), mistyped.getMessage());
    m.put("hostcalls", Map.of("mode", 1L));
    var badMode = assertThrows(JsonException.class, () -> ServiceConfigCodec.fromJson(m));
    assertTrue(badMode.getMessage().contains("'hostcalls.mode'"), badMode.getMessage());
  }
}
