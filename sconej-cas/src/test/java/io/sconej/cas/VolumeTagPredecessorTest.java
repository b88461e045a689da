package io.sconej.cas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.attestation.sim.SimEvidence;
import io.sconej.cas.client.CasClient;
import io.sconej.cas.client.CasConnection;
import io.sconej.cas.client.CasResponseException;
import io.sconej.cas.client.VolumeConfig;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tag compare-and-set: a pending report names the state it follows, and the CAS refuses a
 * predecessor that is not the volume's latest state. Two attested runtimes of one service play
 * two writers of one volume (two enclaves on copies of the volume, or on one directory whose lock
 * the host removed): the one that commits second is refused, and nothing of it is recorded. A
 * single writer after a crash at any point is never refused (no owner lockout).
 */
class VolumeTagPredecessorTest {
  private static final byte[] C = tag("cc");
  private static final byte[] A1 = tag("a1");
  private static final byte[] B1 = tag("b1");

  @TempDir Path dir;
  CasFixture cas;

  static byte[] tag(String b) {
    return HexFormat.of().parseHex(b.repeat(32));
  }

  @BeforeEach
  void start() throws Exception {
    cas = new CasFixture(dir);
    try (CasConnection owner = cas.connect(Optional.of(CasFixture.identity()))) {
      var r = CasFixture.postYaml(owner, "/v1/sessions", CasFixture.simPolicy("acme/db"));
      assertEquals(201, r.status(), r.text());
    }
  }

  @AfterEach
  void stop() throws Exception {
    cas.close();
  }

  /** A runtime that attested as the volume's service. */
  private CasClient enclave() throws Exception {
    CasClient c = CasClient.create("127.0.0.1", cas.server.port(), cas.server.caCertificate());
    c.attest("acme/db/web", rd -> SimEvidence.create(
        CasFixture.PLATFORM, CasFixture.measurement(), SimEvidence.NO_SIGNER, rd));
    return c;
  }

  private VolumeConfig released() throws Exception {
    try (CasClient c = CasClient.create(
        "127.0.0.1", cas.server.port(), cas.server.caCertificate())) {
      return c.attest("acme/db/web", rd -> SimEvidence.create(
          CasFixture.PLATFORM, CasFixture.measurement(), SimEvidence.NO_SIGNER, rd))
          .volumes().getFirst();
    }
  }

  private void committed(byte[] t) throws Exception {
    try (CasClient c = enclave()) {
      c.reportPendingTag("data", Optional.empty(), t);
      c.commitTag("data", t);
    }
  }

  @Test
  void aSecondWriterFromTheSameCommittedTagIsRefusedAfterTheFirstCommits() throws Exception {
    committed(C);
    try (CasClient a = enclave(); CasClient b = enclave()) { // both started at C
      a.reportPendingTag("data", Optional.of(C), A1);
      a.commitTag("data", A1);
      var e = assertThrows(CasResponseException.class,
          () -> b.reportPendingTag("data", Optional.of(C), B1));
      assertEquals(409, e.status());
      assertTrue(e.getMessage().contains("field 'previous': tag cccccccccccccccc... is not the"
          + " volume's latest state (committed a1a1a1a1a1a1a1a1...): another writer committed"
          + " first, or this copy of the volume was forked"), e.getMessage());
      // Neither can B commit what it never got accepted, nor continue from its own state.
      assertEquals(409, assertThrows(CasResponseException.class,
          () -> b.commitTag("data", B1)).status());
      assertEquals(409, assertThrows(CasResponseException.class,
          () -> b.reportPendingTag("data", Optional.of(B1), tag("b2"))).status());
    }
    VolumeConfig v = released();
    assertArrayEquals(A1, v.committedTag().orElseThrow());
    assertTrue(v.pendingTag().isEmpty());
  }

  @Test
  void aSecondFreshVolumeIsRefused() throws Exception {
    try (CasClient a = enclave(); CasClient b = enclave()) { // two empty copies
      a.reportPendingTag("data", Optional.empty(), A1);
      var e = assertThrows(CasResponseException.class,
          () -> b.reportPendingTag("data", Optional.empty(), B1));
      assertEquals(409, e.status());
      assertTrue(e.getMessage().contains("a fresh volume is not the volume's latest state"),
          e.getMessage());
      a.commitTag("data", A1);
    }
    assertArrayEquals(A1, released().committedTag().orElseThrow());
  }

  @Test
  void aWriterOvertakenBetweenItsTwoPhasesIsRefusedAtItsCommit() throws Exception {
    committed(C);
    try (CasClient a = enclave(); CasClient b = enclave()) {
      a.reportPendingTag("data", Optional.of(C), A1);
      b.reportPendingTag("data", Optional.of(C), B1); // C is still the committed state
      assertEquals(409, assertThrows(CasResponseException.class,
          () -> a.commitTag("data", A1)).status());
      b.commitTag("data", B1);
      assertEquals(409, assertThrows(CasResponseException.class,
          () -> a.reportPendingTag("data", Optional.of(A1), tag("a2"))).status());
    }
    assertArrayEquals(B1, released().committedTag().orElseThrow());
  }

  @Test
  void aSingleWriterIsNeverRefusedAfterACrashBetweenThePhases() throws Exception {
    committed(C);
    try (CasClient a = enclave()) {
      a.reportPendingTag("data", Optional.of(C), A1); // then a crash before the commit report
    }
    VolumeConfig v = released();
    assertArrayEquals(C, v.committedTag().orElseThrow());
    assertArrayEquals(A1, v.pendingTag().orElseThrow());
    // The disk holds A1 (durable, unconfirmed): the next commit follows it, and A1 is promoted.
    try (CasClient again = enclave()) {
      again.reportPendingTag("data", Optional.of(A1), tag("a2"));
    }
    v = released();
    assertArrayEquals(A1, v.committedTag().orElseThrow());
    assertArrayEquals(tag("a2"), v.pendingTag().orElseThrow());
    // Or the disk still held A1 while a2 never became durable: the stale pending is replaced.
    try (CasClient again = enclave()) {
      again.reportPendingTag("data", Optional.of(A1), tag("a3"));
      again.commitTag("data", tag("a3"));
      again.reportPendingTag("data", Optional.of(tag("a3")), tag("a4"));
      again.commitTag("data", tag("a4"));
    }
    assertArrayEquals(tag("a4"), released().committedTag().orElseThrow());
  }
}
