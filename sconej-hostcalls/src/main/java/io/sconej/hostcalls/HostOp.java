package io.sconej.hostcalls;

/**
 * Operation codes of asynchronous host calls, one per {@link HostCalls} method. The arguments
 * each one carries in a slot ({@link SlotDescriptor}) are listed per constant; "data" is the
 * slot's buffer.
 */
public enum HostOp {
  /** Reserved: never sent, refused by hosts. */
  NONE,
  /** data = UTF-8 path, arg0 = flags; result = handle. */
  OPEN,
  /** arg0 = handle, arg1 = position, arg2 = length; result = count or -1, data = bytes read. */
  PREAD,
  /** arg0 = handle, arg1 = position, data = bytes; result = count written. */
  PWRITE,
  /** arg0 = handle; result = size. */
  SIZE,
  /** arg0 = handle, arg1 = size. */
  TRUNCATE,
  /** arg0 = handle, arg1 = 1 to sync metadata. */
  FSYNC,
  /** arg0 = handle. */
  CLOSE,
  /** data = UTF-8 path; data out = exists|dir flags, size, mtime (3 longs). */
  STAT,
  /**
   * data = UTF-8 dir, arg0 = entries to skip; result = entries in this page | 1 &lt;&lt; 32 if
   * more follow, data out = NUL-terminated UTF-8 names.
   */
  LIST,
  /** data = UTF-8 path. */
  MKDIR,
  /** data = UTF-8 path. */
  DELETE,
  /** data = UTF-8 from, NUL, UTF-8 to; arg0 = byte length of from. */
  RENAME,
  /** data = UTF-8 dir. */
  FSYNC_DIR,
  /** arg0 = handle, arg1 = position, arg2 = length; result = 1 if punched, 0 if not. */
  PUNCH_HOLE;

  private static final HostOp[] VALUES = values();

  /** The code stored in a slot. */
  public int code() {
    return ordinal();
  }

  /** The operation for a code; {@link #NONE} for an unknown code. */
  public static HostOp of(int code) {
    return code > 0 && code < VALUES.length ? VALUES[code] : NONE;
  }
}
