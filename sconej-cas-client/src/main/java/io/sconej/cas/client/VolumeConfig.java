package io.sconej.cas.client;

import io.sconej.crypto.SecretBytes;
import java.util.Optional;

/**
 * A volume as the CAS releases it to an attested service: where it is, its key, and the tags the
 * CAS will accept at start (the committed one and, after a crash between a pending report and its
 * commit, the pending one). A volume whose on-disk tag is neither is a rollback.
 *
 * @param name the volume name
 * @param path the path prefix it covers
 * @param kind encrypted or authenticated
 * @param key the volume key, generated and kept by the CAS
 * @param committedTag the last committed tag, empty for a fresh volume
 * @param pendingTag a reported but not yet committed tag, if any
 */
public record VolumeConfig(
    String name,
    String path,
    String kind,
    SecretBytes key,
    Optional<byte[]> committedTag,
    Optional<byte[]> pendingTag) {}
