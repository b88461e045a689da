package io.sconej.hostcalls;

/**
 * What an sthread does with one request: performs it on the host and answers through the slot.
 * The default, {@link FileHostExecutor}, performs real file operations; tests inject hostile
 * executors that answer with wrong ids, duplicates, impossible lengths, or never.
 *
 * <p>Runs outside the trust boundary: nothing an implementation does is trusted by the caller.
 */
@FunctionalInterface
public interface HostExecutor {
  /**
   * Serves one request. An implementation that throws is answered with {@link HostError#IO} by
   * the sthread, unless it already answered.
   */
  void serve(HostSlot request);
}
