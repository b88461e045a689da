package io.sconej.runtime;

import io.sconej.cas.client.ServiceConfig;
import io.sconej.hostcalls.AsyncHostCalls;
import io.sconej.hostcalls.CheckedHostCalls;
import io.sconej.hostcalls.HostCallConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The host-call configuration of a {@code sconej run} enclave, from three sources
 * (docs/hostcalls.md, "Configuring host calls for sconej run"):
 *
 * <ol>
 *   <li>the mode and the ethreads are measured launch settings ({@link LaunchSettings}): a
 *       session's {@code hostcalls.mode} must equal the launch's mode, or the start is refused;
 *   <li>the tuning values (sthreads, queues, slots, slot size, back-off, timeout) are not security
 *       relevant and not measured: the session's value wins, the launch's {@code --hostcall
 *       KEY=VALUE} fills in what the session leaves out;
 *   <li>{@link HostCallConfig#defaults()} fills in the rest.
 * </ol>
 */
public final class HostCallSettings {
  /** Keys the launch may set with {@code --hostcall KEY=VALUE}: the session's keys but mode. */
  public static final Set<String> LAUNCH_KEYS = launchKeys();

  private HostCallSettings() {}

  private static Set<String> launchKeys() {
    Set<String> s = new TreeSet<>(ServiceConfig.HOST_CALL_KEYS);
    s.remove("mode");
    return Set.copyOf(s);
  }

  /**
   * Parses the values of the repeatable {@code --hostcall KEY=VALUE} launch option.
   *
   * @return the values by key, each checked by {@link HostCallConfig}
   * @throws IllegalArgumentException naming the option and key: no {@code =}, {@code mode} (the
   *     measured {@code --hostcalls}), {@code ethreads} ({@code --ethreads}), an unknown key, a key
   *     given twice, or a value {@link HostCallConfig} refuses
   */
  public static Map<String, String> parseLaunchOptions(List<String> keyValues) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String kv : keyValues) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--hostcall needs KEY=VALUE, got '" + kv + "'");
      }
      String key = kv.substring(0, eq).trim();
      String value = kv.substring(eq + 1).trim();
      switch (key) {
        case "mode" ->
            throw new IllegalArgumentException(
                "--hostcall mode: the mode is the measured launch setting --hostcalls sync|async");
        case "ethreads" ->
            throw new IllegalArgumentException(
                "--hostcall ethreads: the ethreads are the measured launch setting --ethreads N");
        default -> {
          if (!LAUNCH_KEYS.contains(key)) {
            throw new IllegalArgumentException("--hostcall " + key
                + ": unknown host-call setting (allowed: " + String.join(", ",
                    new TreeSet<>(LAUNCH_KEYS)) + ")");
          }
        }
      }
      try {
        HostCallConfig.defaults().with(Map.of(HostCallConfig.PREFIX + key, value));
      } catch (IllegalArgumentException | ArithmeticException e) {
        throw new IllegalArgumentException("--hostcall " + unprefixed(e.getMessage()), e);
      }
      if (out.put(key, value) != null) {
        throw new IllegalArgumentException("--hostcall " + key + ": given twice");
      }
    }
    return out;
  }

  /**
   * The configuration the enclave's volumes use.
   *
   * @param launch the measured launch settings (mode and ethreads are taken from here)
   * @param launchValues tuning values from {@link #parseLaunchOptions}
   * @param session the session's {@code hostcalls} map ({@link ServiceConfig#hostCalls()})
   * @throws LaunchException exit 3 when the session's mode differs from the launch's (it is
   *     measured: the owner pins it through the measurement, and a session that says otherwise is
   *     not what was attested); exit 2 when a value is refused by {@link HostCallConfig}
   */
  static HostCallConfig resolve(LaunchSettings launch, Map<String, String> launchValues,
      Map<String, String> session) throws LaunchException {
    String sessionMode = session.get("mode");
    if (sessionMode != null && !sessionMode.equals(launch.hostCalls())) {
      throw new LaunchException(3, "the session requires hostcalls mode " + sessionMode
          + " but the enclave was launched with --hostcalls " + launch.hostCalls()
          + " (launch with --hostcalls " + sessionMode + ")");
    }
    Map<String, String> m = new LinkedHashMap<>();
    launchValues.forEach((k, v) -> m.put(HostCallConfig.PREFIX + k, v));
    for (var e : session.entrySet()) {
      if (!ServiceConfig.HOST_CALL_KEYS.contains(e.getKey())) {
        throw new LaunchException(2, "the session's hostcalls: unknown setting " + e.getKey());
      }
      m.put(HostCallConfig.PREFIX + e.getKey(), e.getValue()); // the session wins
    }
    m.put(HostCallConfig.PREFIX + "mode", launch.hostCalls());
    m.put(HostCallConfig.PREFIX + "ethreads", Integer.toString(launch.ethreads()));
    try {
      return HostCallConfig.defaults().with(m);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new LaunchException(2, "host-call settings refused: " + e.getMessage());
    }
  }

  /**
   * One line naming the host calls actually in use, read from the live object the volumes were
   * given; in async mode with the number of requests posted to its queues so far (after the
   * volumes are mounted, non-zero exactly when the volumes run on these queues).
   */
  static String describe(CheckedHostCalls hostCalls) {
    if (!(hostCalls.unchecked() instanceof AsyncHostCalls async)) {
      return "sconej hostcalls: mode=sync (each host call on the calling thread)";
    }
    HostCallConfig c = async.config();
    return "sconej hostcalls: mode=async ethreads=" + c.ethreads() + " sthreads=" + c.sthreads()
        + " queues=" + c.queues() + " slots=" + c.slots() + " slotBytes=" + c.slotBytes()
        + " sspins=" + c.spins() + " ssleepMicros=" + c.sleep().toNanos() / 1000 + " cspins="
        + c.callerSpins() + " timeoutMillis=" + c.callTimeout().toMillis() + " requests="
        + async.requests();
  }

  private static String unprefixed(String message) {
    String m = String.valueOf(message);
    return m.startsWith(HostCallConfig.PREFIX) ? m.substring(HostCallConfig.PREFIX.length()) : m;
  }
}
