package io.sconej.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.cas.client.CasConnection;
import io.sconej.cas.client.Pem;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sconej cas serve} in a real child JVM: starts, answers over TLS, stops on SIGTERM. */
class CasServeProcessTest {
  @TempDir Path dir;

  @Test
  void servesUntilTerminated() throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Path data = dir.resolve("cas");
    Process p =
        new ProcessBuilder(
                List.of(
                    java,
                    "-cp",
                    System.getProperty("java.class.path"),
                    "io.sconej.cli.Main",
                    "cas",
                    "serve",
                    "--data",
                    data.toString(),
                    "--port",
                    "0"))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      var out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String listening = out.readLine();
      assertTrue(
          listening != null && listening.startsWith("listening: https://127.0.0.1:"),
          String.valueOf(listening));
      int port = Integer.parseInt(listening.substring(listening.lastIndexOf(':') + 1));
      var ca = Pem.certificate(Files.readString(data.resolve("cas-ca.pem")));
      try (CasConnection c =
          CasConnection.create("127.0.0.1", port, ca, Optional.of(CasFixtureIdentity.create()))) {
        var r = c.request("GET", "/v1/sessions/nothing", "", new byte[0]);
        assertEquals(404, r.status());
      }
    } finally {
      p.destroy();
      assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the CAS stops on SIGTERM");
      if (p.isAlive()) {
        p.destroyForcibly();
      }
    }
  }

  /** A throwaway client identity. */
  static final class CasFixtureIdentity {
    static CasConnection.ClientIdentity create() throws Exception {
      var k = io.sconej.cas.client.SelfSignedCert.newEcKeyPair();
      return new CasConnection.ClientIdentity(
          k, io.sconej.cas.client.SelfSignedCert.create(k, "t", java.time.Duration.ofHours(1)));
    }
  }
}
