package io.sconej.fileshield;

/**
 * Authenticated attributes of a file or directory in a volume.
 *
 * @param directory true for a directory
 * @param sizeBytes file size (0 for directories)
 * @param lastModifiedMillis modification time, as set by writers (authenticated, not host time)
 * @param creationMillis creation time
 * @param fileId hex id of the node, stable across renames
 */
public record NodeAttributes(
    boolean directory,
    long sizeBytes,
    long lastModifiedMillis,
    long creationMillis,
    String fileId) {}
