package io.sconej.cas.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.crypto.InsecureSecretAccess;
import io.sconej.crypto.SecretBytes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServiceConfigCodecTest {
  @Test
  void roundTripsAndRedactsInToString() throws Exception {
    byte[] key = new byte[32];
    key[0] = 7;
    ServiceConfig c =
        new ServiceConfig(
            "acme/db",
            "web",
            "ab".repeat(32),
            List.of("java", "-jar", "app.jar"),
            Map.of("PW", "s3cret-value"),
            Map.of("/etc/x", "content"),
            List.of(
                new VolumeConfig(
                    "data",
                    "/data",
                    "encrypted",
                    SecretBytes.copyOf(key),
                    Optional.of(new byte[] {1, 2}),
                    Optional.empty())),
            Map.of("pw", new ReleasedSecret("ascii", "s3cret-value", Optional.empty())),
            4,
            "protected");
    ServiceConfig back =
        ServiceConfigCodec.fromJson(Json.parseObject(Json.write(ServiceConfigCodec.toJson(c))));
    assertEquals(c.command(), back.command());
    assertEquals(c.environment(), back.environment());
    assertEquals(c.files(), back.files());
    assertEquals("s3cret-value", back.secrets().get("pw").value());
    assertArrayEquals(key, back.volumes().get(0).key().bytes(InsecureSecretAccess.get()));
    assertArrayEquals(new byte[] {1, 2}, back.volumes().get(0).committedTag().orElseThrow());
    assertTrue(back.volumes().get(0).pendingTag().isEmpty());
    assertEquals(4, back.ethreads());
    assertFalse(back.toString().contains("s3cret"));
    assertFalse(back.secrets().get("pw").toString().contains("s3cret"));
  }

  @Test
  void refusesMissingAndMistypedFieldsByName() {
    var e =
        assertThrows(
            JsonException.class,
            () -> ServiceConfigCodec.fromJson(Json.parseObject("{\"command\": \"x\"}")));
    assertTrue(e.getMessage().contains("'command'"), e.getMessage());
  }
}
