package io.sconej.cas;

import io.sconej.cas.client.Pem;
import io.sconej.crypto.json.Json;
import io.sconej.crypto.json.JsonException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as a service sees it.
 *
 * @param method the method
 * @param path the path (no query)
 * @param contentType the media type without parameters, lower case; empty if none
 * @param body the body
 * @param clientCert the TLS client certificate, if the client presented one
 */
record Request(
    String method,
    String path,
    String contentType,
    byte[] body,
    Optional<X509Certificate> clientCert) {

  /** The client's certificate fingerprint; 401-style refusal (403) without a certificate. */
  String clientFingerprint() {
    X509Certificate c =
        clientCert.orElseThrow(() -> new CasException(403, "a TLS client certificate is required"));
    try {
      return Pem.fingerprint(c);
    } catch (GeneralSecurityException e) {
      throw new CasException(400, "unreadable client certificate");
    }
  }

  /** The body as strict UTF-8 text of the given media type, or 415. */
  String text(String mediaType) {
    requireType(mediaType);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(body))
          .toString();
    } catch (CharacterCodingException e) {
      throw CasException.badRequest("body is not valid UTF-8");
    }
  }

  /** The body as a JSON object, or 415/400 naming line and column. */
  Map<String, Object> json() {
    String t = text("application/json");
    try {
      return Json.parseObject(t);
    } catch (JsonException e) {
      throw CasException.badRequest(e.getMessage());
    }
  }

  private void requireType(String mediaType) {
    if (!contentType.equals(mediaType)) {
      throw new CasException(
          415,
          "Content-Type must be "
              + mediaType
              + (contentType.isEmpty() ? "" : ", not " + contentType));
    }
  }
}
