package io.sconej.hostcalls;

/**
 * Layout of one request/response slot in untrusted off-heap memory. The trusted side writes the
 * request half and the data it sends; the host writes the response half and the data it returns.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                      request id (long)                        |   0  trusted
 *  +---------------------------------------------------------------+
 *  |        opcode (int)           |    request length (int)       |   8  trusted
 *  +---------------------------------------------------------------+
 *  |                      arg 0 (long)                             |  16  trusted
 *  |                      arg 1 (long)                             |  24  trusted
 *  |                      arg 2 (long)                             |  32  trusted
 *  +---------------------------------------------------------------+
 *  |                      response id (long)                       |  64  host
 *  +---------------------------------------------------------------+
 *  |                      result (long)                            |  72  host
 *  +---------------------------------------------------------------+
 *  |        error code (int)       |    response length (int)      |  80  host
 *  +---------------------------------------------------------------+
 *  |                      ... padding to 128 ...                   |
 *  +---------------------------------------------------------------+
 *  |                      data buffer (bufferBytes)                | 128  both
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>The request half and the response half sit on different cache lines. The host may write any
 * byte at any time; the trusted side reads each response field exactly once and validates it
 * (response id equal to the request id, error code known, response length within the buffer and
 * the request) before it copies a single data byte in.
 */
public final class SlotDescriptor {
  /** Offset of the request id (written by the trusted side). */
  public static final int REQUEST_ID_OFFSET = 0;

  /** Offset of the operation code. */
  public static final int OPCODE_OFFSET = 8;

  /** Offset of the count of request data bytes in the buffer. */
  public static final int REQUEST_LENGTH_OFFSET = 12;

  /** Offset of the first argument. */
  public static final int ARG0_OFFSET = 16;

  /** Offset of the second argument. */
  public static final int ARG1_OFFSET = 24;

  /** Offset of the third argument. */
  public static final int ARG2_OFFSET = 32;

  /** Offset of the response id (written by the host; must equal the request id). */
  public static final int RESPONSE_ID_OFFSET = 64;

  /** Offset of the result. */
  public static final int RESULT_OFFSET = 72;

  /** Offset of the error code ({@link HostError}). */
  public static final int ERROR_OFFSET = 80;

  /** Offset of the count of response data bytes in the buffer. */
  public static final int RESPONSE_LENGTH_OFFSET = 84;

  /** Offset of the data buffer. */
  public static final int DATA_OFFSET = 128;

  private SlotDescriptor() {}

  /** Bytes of one slot with a data buffer of {@code bufferBytes} (a multiple of 64). */
  public static long stride(int bufferBytes) {
    return DATA_OFFSET + (long) bufferBytes;
  }
}
