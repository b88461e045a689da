package io.sconej.cas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.attestation.sim.SimEvidence;
import io.sconej.cas.client.CasClient;
import io.sconej.cas.client.CasConnection;
import io.sconej.cas.client.ServiceConfig;
import io.sconej.crypto.json.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CasStoreTest {
  @TempDir Path dir;

  private ServiceConfig attest(CasFixture cas) throws Exception {
    try (CasClient c =
        CasClient.create("127.0.0.1", cas.server.port(), cas.server.caCertificate())) {
      return c.attest(
          "acme/db/web",
          rd ->
              SimEvidence.create(
                  CasFixture.PLATFORM, CasFixture.measurement(), SimEvidence.NO_SIGNER, rd));
    }
  }

  /** Creates a session with two versions and returns the released configuration. */
  private ServiceConfig populate(CasFixture cas) throws Exception {
    try (CasConnection owner = cas.connect(Optional.of(CasFixture.identity()))) {
      var r = CasFixture.postYaml(owner, "/v1/sessions", CasFixture.simPolicy("acme/db"));
      String h = Json.string(r.json(), "hash");
      var u =
          CasFixture.putYaml(
              owner,
              "/v1/sessions/acme/db",
              CasFixture.policy("acme/db", 2, h, "security:\n  tolerate: [simulation]\n"));
      assertEquals(200, u.status(), u.text());
    }
    return attest(cas);
  }

  @Test
  void stateSurvivesRestartAndNothingIsPlaintextOnDisk() throws Exception {
    ServiceConfig before;
    try (CasFixture cas = new CasFixture(dir)) {
      before = populate(cas);
      var caBefore = cas.server.caCertificate();
      cas.restart();
      assertEquals(caBefore, cas.server.caCertificate(), "the CAS identity persists");
      ServiceConfig after = attest(cas);
      assertEquals(
          before.secrets().get("db_password").value(), after.secrets().get("db_password").value());
      assertEquals(before.sessionHash(), after.sessionHash());
    }
    for (String f : List.of(StoreKey.FILE, "store.log", "store.head")) {
      assertEquals(
          "rw-------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(f))),
          f);
    }
    List<String> needles =
        new ArrayList<>(
            List.of(
                "marker-in-policy-text-42",
                "acme/db",
                "db_password",
                "PRIVATE KEY",
                "services:",
                before.secrets().get("db_password").value(),
                before.secrets().get("api_key").value()));
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        for (String n : needles) {
          assertFalse(content.contains(n), f.getFileName() + " contains '" + n + "'");
        }
      }
    }
  }

  private byte[] log() throws Exception {
    return Files.readAllBytes(dir.resolve("store.log"));
  }

  /** Byte offsets of each record in the log. */
  private List<int[]> records(byte[] log) {
    List<int[]> out = new ArrayList<>();
    int p = 8;
    while (p < log.length) {
      int len = ByteBuffer.wrap(log, p, 4).getInt();
      int end = p + 24 + len;
      out.add(new int[] {p, end});
      p = end;
    }
    return out;
  }

  private void populated() throws Exception {
    try (CasFixture cas = new CasFixture(dir)) {
      populate(cas);
    }
  }

  private void assertRefusesToStart(String expected) {
    var e =
        assertThrows(StoreIntegrityException.class, () -> CasServer.start(CasFixture.config(dir)));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void flippedByteIsDetected() throws Exception {
    populated();
    byte[] log = log();
    int[] second = records(log).get(1);
    log[second[0] + 30] ^= 1;
    Files.write(dir.resolve("store.log"), log);
    assertRefusesToStart("record 1");
  }

  @Test
  void deletedRecordIsDetected() throws Exception {
    populated();
    byte[] log = log();
    int[] r = records(log).get(1);
    byte[] cut = new byte[log.length - (r[1] - r[0])];
    System.arraycopy(log, 0, cut, 0, r[0]);
    System.arraycopy(log, r[1], cut, r[0], log.length - r[1]);
    Files.write(dir.resolve("store.log"), cut);
    assertRefusesToStart("record 1");
  }

  @Test
  void reorderedRecordsAreDetected() throws Exception {
    populated();
    byte[] log = log();
    List<int[]> rs = records(log);
    int[] a = rs.get(1);
    int[] b = rs.get(2);
    byte[] out = new byte[log.length];
    int p = 0;
    System.arraycopy(log, 0, out, 0, a[0]);
    p = a[0];
    System.arraycopy(log, b[0], out, p, b[1] - b[0]);
    p += b[1] - b[0];
    System.arraycopy(log, a[0], out, p, a[1] - a[0]);
    p += a[1] - a[0];
    System.arraycopy(log, b[1], out, p, log.length - b[1]);
    Files.write(dir.resolve("store.log"), out);
    assertRefusesToStart("record 1");
  }

  @Test
  void truncatedLogIsDetected() throws Exception {
    populated();
    byte[] log = log();
    List<int[]> rs = records(log);
    Files.write(dir.resolve("store.log"), Arrays.copyOf(log, rs.getLast()[0]));
    assertRefusesToStart("truncated");
  }

  @Test
  void deletedHeadIsDetected() throws Exception {
    populated();
    Files.delete(dir.resolve("store.head"));
    assertRefusesToStart("store.head");
  }

  @Test
  void tornTailAfterTheHeadIsCutOffNotFatal() throws Exception {
    populated();
    byte[] log = log();
    byte[] torn = Arrays.copyOf(log, log.length + 10);
    torn[log.length] = 0;
    torn[log.length + 3] = 100; // a record header announcing 100 bytes, then nothing
    Files.write(dir.resolve("store.log"), torn);
    try (CasServer s = CasServer.start(CasFixture.config(dir))) {
      assertTrue(s.port() > 0);
    }
    assertEquals(log.length, Files.size(dir.resolve("store.log")));
  }
}
