package io.sconej.hostcalls;

/**
 * Builds the host-call interface a configuration asks for, always wrapped in {@link
 * CheckedHostCalls} so that callers get the same Iago checks whatever the mode.
 */
public final class HostCallsFactory {
  private HostCallsFactory() {}

  /** Host calls on the platform file system, as {@code config} says. */
  public static CheckedHostCalls create(HostCallConfig config) {
    return create(config, SyncHostCalls.create());
  }

  /**
   * Host calls performed by {@code host} (the untrusted implementation that does the I/O), as
   * {@code config} says: in sync mode the caller calls {@code host} directly (paying the
   * emulated exit cost first, if configured); in async mode sthreads call it.
   */
  public static CheckedHostCalls create(HostCallConfig config, HostCalls host) {
    return switch (config.mode()) {
      case SYNC -> {
        ExitCost cost = ExitCost.of(config);
        yield CheckedHostCalls.wrap(cost.enabled() ? new ExitCostHostCalls(host, cost) : host);
      }
      case ASYNC -> CheckedHostCalls.wrap(AsyncHostCalls.create(config, host));
    };
  }
}
