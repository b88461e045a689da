package io.sconej.fileshield;

/** The kinds of integrity and freshness violation a volume detects. */
public enum Violation {
  /** A chunk's bytes do not authenticate (modified, moved, swapped or an older copy). */
  TAMPERED_CHUNK("chunk fails authentication (modified, moved, swapped or rolled back)"),
  /** Chunk data the manifest says exists is missing (host file truncated or deleted). */
  MISSING_DATA("chunk data missing on the host (file truncated or deleted)"),
  /** The manifest (checkpoint or journal) fails authentication or is inconsistent. */
  TAMPERED_METADATA("volume manifest fails authentication or is inconsistent"),
  /** The volume header fails authentication: wrong key, or a tampered header. */
  WRONG_KEY("wrong key, or tampered volume header"),
  /** The volume's state is not the expected one: rolled back, replaced or unknown. */
  STALE_STATE("volume state is not the expected one (rolled back or replaced)");

  private final String description;

  Violation(String description) {
    this.description = description;
  }

  /** A human-readable description. */
  public String description() {
    return description;
  }
}
