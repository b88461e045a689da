package io.sconej.cas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.attestation.sim.SimEvidence;
import io.sconej.cas.client.CasClient;
import io.sconej.cas.client.CasConnection;
import io.sconej.cas.client.ServiceConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile clients against a real CAS on loopback (issue 10, item 5): slow TLS handshakes held by
 * thousands of connections, a peer over its connection limit, a handshake and a request head
 * trickled one byte at a time faster than any per-read timeout. Attackers are spread over 127.0.0.2
 * and up (all loopback on Linux), so per-peer limits do not hide the pool's behaviour.
 */
class HostileClientsTest {
  /** A TLS record header for a 512-byte handshake record, then a ClientHello's first bytes. */
  private static final byte[] CLIENT_HELLO = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01};

  @TempDir Path dir;

  /** Connections that send one ClientHello byte at a time, spread over loopback addresses. */
  private static final class Tricklers implements AutoCloseable {
    final List<Socket> sockets = new ArrayList<>();
    final int[] sent;

    Tricklers(int port, int count, int firstAddress, int perAddress) throws IOException {
      for (int i = 0; i < count; i++) {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(loopback(firstAddress + i / perAddress), 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        sockets.add(s);
      }
      sent = new int[count];
    }

    /** Sends every open connection its next byte; the number still open (as far as known). */
    int trickle() {
      int open = 0;
      for (int i = 0; i < sockets.size(); i++) {
        Socket s = sockets.get(i);
        if (s.isClosed()) {
          continue;
        }
        try {
          OutputStream out = s.getOutputStream();
          out.write(CLIENT_HELLO[Math.min(sent[i]++, CLIENT_HELLO.length - 1)]);
          out.flush();
          open++;
        } catch (IOException e) {
          close(s);
        }
      }
      return open;
    }

    @Override
    public void close() {
      sockets.forEach(Tricklers::close);
    }

    private static void close(Socket s) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  static InetAddress loopback(int n) throws IOException {
    return InetAddress.getByAddress(new byte[] {127, 0, (byte) (n >> 8), (byte) n});
  }

  private static CasConfig.Builder config(Path dir) {
    return CasConfig.builder(dir)
        .port(0)
        .verifier(
            io.sconej.attestation.TeeMode.SIM,
            io.sconej.verifier.sim.SimEvidenceVerifier.create(
                List.of(CasFixture.PLATFORM.certificate())));
  }

  @Test
  void anAttestationSucceedsWhile2500SlowHandshakesAreHeld() throws Exception {
    try (CasServer cas = CasServer.start(config(dir).build())) {
      try (CasConnection owner =
          CasConnection.create(
              "127.0.0.1", cas.port(), cas.caCertificate(), Optional.of(CasFixture.identity()))) {
        var r = CasFixture.postYaml(owner, "/v1/sessions", CasFixture.simPolicy("acme/db"));
        assertEquals(201, r.status(), r.text());
      }
      try (Tricklers attackers = new Tricklers(cas.port(), 2500, 2, 250)) {
        attackers.trickle();
        // The attack as reported: every connection has sent part of a ClientHello and goes on.
        ServiceConfig released =
            assertTimeoutPreemptively(
                Duration.ofSeconds(20),
                () ->
                    CasClient.create("127.0.0.1", cas.port(), cas.caCertificate())
                        .attest(
                            "acme/db/web",
                            rd ->
                                SimEvidence.create(
                                    CasFixture.PLATFORM,
                                    CasFixture.measurement(),
                                    SimEvidence.NO_SIGNER,
                                    rd)));
        assertEquals("web", released.service());
        // The CAS holds at most maxHandshakes (256) of them: it closed the rest, oldest first.
        assertTrue(eventually(() -> attackers.trickle() <= 256), "more than 256 held");
        long[] counts = cas.guardCounts();
        // The handshake pool (256) was full: the oldest slow handshakes were closed for newer ones.
        assertTrue(counts[1] >= 2500 - 256, "shed " + counts[1]);
      }
    }
  }

  @Test
  void aPeerOverItsConnectionLimitIsClosedBeforeItsHandshake() throws Exception {
    try (CasServer cas = CasServer.start(config(dir).maxConnectionsPerPeer(8).build());
        Tricklers mine = new Tricklers(cas.port(), 9, 300, 9)) {
      assertTrue(eventually(() -> cas.guardCounts()[0] == 1), "refused " + cas.guardCounts()[0]);
      // The ninth connection was closed by the CAS: reading it ends.
      Socket ninth = mine.sockets.get(8);
      ninth.setSoTimeout(10_000);
      assertEquals(-1, readOrEnd(ninth.getInputStream()));
      // Another address is not affected.
      try (CasConnection c =
          CasConnection.create(
              "127.0.0.1", cas.port(), cas.caCertificate(), Optional.of(CasFixture.identity()))) {
        assertEquals(
            200, c.request("POST", "/v1/nonce", "application/json", "{}".getBytes()).status());
      }
    }
  }

  @Test
  void aHandshakeTrickledFasterThanTheReadTimeoutEndsAtTheHandshakeDeadline() throws Exception {
    CasConfig c =
        config(dir)
            .handshakeTimeout(Duration.ofSeconds(1))
            .requestTimeout(Duration.ofMinutes(5))
            .build();
    try (CasServer cas = CasServer.start(c);
        Tricklers slow = new Tricklers(cas.port(), 1, 400, 1)) {
      // One byte every 100 ms never trips a per-read timeout (5 min); only a deadline ends it.
      assertTrue(eventually(() -> slow.trickle() == 0), "the slow handshake is still open");
      assertEquals(1, cas.guardCounts()[2]);
    }
  }

  @Test
  void aRequestHeadTrickledFasterThanTheReadTimeoutEndsAtTheRequestDeadline() throws Exception {
    CasConfig c = config(dir).requestTimeout(Duration.ofSeconds(1)).build();
    try (CasServer cas = CasServer.start(c);
        Socket s = StrictHttpTest.tls(cas)) {
      OutputStream out = s.getOutputStream();
      out.write("POST /v1/nonce HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      boolean closed = false;
      // A header byte every 100 ms: each read is well inside the 1 s read timeout.
      for (int i = 0; i < 300 && !closed; i++) {
        try {
          out.write('X');
          out.flush();
          Thread.sleep(100);
        } catch (IOException e) {
          closed = true;
        }
      }
      assertTrue(closed || cas.guardCounts()[2] == 1, "the trickled request is still open");
      assertEquals(1, cas.guardCounts()[2]);
    }
  }

  private static int readOrEnd(InputStream in) {
    try {
      return in.read();
    } catch (IOException e) {
      return -1;
    }
  }

  /** Polls {@code check} every 100 ms for up to 30 s. */
  static boolean eventually(java.util.function.BooleanSupplier check) throws InterruptedException {
    for (int i = 0; i < 300; i++) {
      if (check.getAsBoolean()) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }
}
