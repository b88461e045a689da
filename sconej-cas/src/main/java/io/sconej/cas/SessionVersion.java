package io.sconej.cas;

import java.util.Map;

/**
 * One stored version of a session: the policy as posted, its hash, who created the session, and the
 * secrets and volume keys the CAS generated (kept across versions while their specification is
 * unchanged).
 *
 * @param policy the parsed policy
 * @param yaml the policy text as posted
 * @param hash lower-case hex SHA-256 of "sconej-session-v1\0" || yaml (UTF-8)
 * @param creator fingerprint of the client certificate that created the session
 * @param createdAtMillis when this version was stored
 * @param ca the session's CA
 * @param secrets generated secrets by name
 * @param volumeKeys volume keys by "service/volume", and console keys of services with a protected
 *     console by "service/#console" ({@link SessionRegistry#consoleKeyId})
 */
record SessionVersion(
    SessionPolicy policy,
    String yaml,
    String hash,
    String creator,
    long createdAtMillis,
    SecretGenerator.SessionCa ca,
    Map<String, GeneratedSecret> secrets,
    Map<String, byte[]> volumeKeys) {
  @Override
  public String toString() {
    return "SessionVersion[" + policy.name() + " v" + policy.version() + ", " + hash + "]";
  }
}
