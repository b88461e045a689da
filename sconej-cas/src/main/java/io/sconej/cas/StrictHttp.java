package io.sconej.cas;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.util.Optional;

/**
 * What the CAS requires of a request beyond Helidon's parser (RFC 9112 as a strict server reads
 * it): {@code HTTP/1.1} or {@code HTTP/1.0} only, header names that are tokens (no whitespace
 * before the colon), and a {@code Content-Length} of digits only (no sign, no list). Helidon itself
 * refuses bare LF line endings and most malformed heads; {@code StrictHttpTest} shows each case
 * refused with 400.
 */
final class StrictHttp {
  private StrictHttp() {}

  /** The first problem with {@code req}'s head, if any. */
  static Optional<String> problem(ServerRequest req) {
    String version = req.prologue().protocolVersion();
    if (!req.prologue().protocol().equals("HTTP")
        || !(version.equals("1.1") || version.equals("1.0"))) {
      return Optional.of("unsupported protocol version");
    }
    for (Header h : req.headers()) {
      if (!isToken(h.name())) {
        return Optional.of("malformed header name");
      }
    }
    if (req.headers().contains(HeaderNames.CONTENT_LENGTH)) {
      Header cl = req.headers().get(HeaderNames.CONTENT_LENGTH);
      if (cl.allValues().size() != 1 || !isDigits(cl.get())) {
        return Optional.of("malformed Content-Length");
      }
    }
    if (req.headers().contains(HeaderNames.TRANSFER_ENCODING)) {
      return Optional.of("transfer codings are not accepted; send Content-Length");
    }
    return Optional.empty();
  }

  private static boolean isDigits(String s) {
    if (s.isEmpty() || s.length() > 18) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** RFC 9110 token: 1*tchar. */
  private static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
