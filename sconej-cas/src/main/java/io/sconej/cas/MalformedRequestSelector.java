package io.sconej.cas;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

/**
 * Answers, with one JSON error and a closed connection, the requests that Helidon's HTTP/1.1
 * selector does not take and would close without a word: a request line that does not end in {@code
 * HTTP/1.1} CRLF (bare LF, {@code HTTP/1.2}, {@code HTTP/1.x}: 400; {@code HTTP/1.0}: 505). It is
 * asked first and steps aside ({@code UNSUPPORTED}) for every well-formed HTTP/1.1 request line,
 * and while the first line is incomplete ({@code UNKNOWN}, Helidon then takes it).
 */
final class MalformedRequestSelector implements ServerConnectionSelector {
  private static final String SUFFIX = " HTTP/1.1\r";

  @Override
  public int bytesToIdentifyConnection() {
    return 0;
  }

  @Override
  public Support supports(BufferData data) {
    int lf = data.indexOf((byte) '\n');
    if (lf < 0) {
      return Support.UNKNOWN;
    }
    return data.readString(lf, StandardCharsets.US_ASCII).endsWith(SUFFIX)
        ? Support.UNSUPPORTED
        : Support.SUPPORTED;
  }

  @Override
  public Set<String> supportedApplicationProtocols() {
    return Set.of();
  }

  @Override
  public ServerConnection connection(ConnectionContext ctx) {
    return new ServerConnection() {
      @Override
      public void handle(Limit limit) {
        BufferData first = ctx.dataReader().getBuffer(ctx.dataReader().available());
        int lf = first.indexOf((byte) '\n');
        String line = lf < 0 ? "" : first.readString(lf, StandardCharsets.US_ASCII);
        boolean http10 = line.endsWith(" HTTP/1.0\r") || line.endsWith(" HTTP/1.0");
        Response r =
            http10
                ? Response.error(505, "HTTP/1.0 is not supported; use HTTP/1.1")
                : Response.error(400, "malformed request line (HTTP/1.1 with CRLF expected)");
        String head =
            "HTTP/1.1 "
                + (http10 ? "505 HTTP Version Not Supported" : "400 Bad Request")
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + r.body().length
                + "\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
        ctx.dataWriter()
            .writeNow(
                BufferData.create(
                    BufferData.create(head.getBytes(StandardCharsets.US_ASCII)),
                    BufferData.create(r.body())));
      }

      @Override
      public Duration idleTime() {
        return Duration.ZERO;
      }

      @Override
      public void close(boolean interrupt) {
        // answered and closed by handle
      }
    };
  }
}
