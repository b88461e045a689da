package io.sconej.ioagent.boot;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What a {@link Router} decides for one absolute, normalised host path.
 *
 * <p>Exactly three answers exist: {@link Host} (the original {@code java.io} code runs unchanged),
 * {@link Refuse} (the call fails with a message naming the path and the reason) and {@link To}
 * (the call is served by the router's file system at {@link To#target()}).
 */
public sealed interface Route {

  /** The path is not shielded: the JDK's own code runs, on the host file system. */
  record Host() implements Route {}

  /**
   * The path is in a region whose policy refuses access.
   *
   * @param reason a human-readable reason, without secrets; never empty
   */
  record Refuse(String reason) implements Route {
    /** Refuses an empty or missing reason, so that every refusal can be explained. */
    public Refuse {
      Objects.requireNonNull(reason, "reason");
      if (reason.isBlank()) {
        throw new IllegalArgumentException("a refusal needs a reason");
      }
    }
  }

  /**
   * The path is shielded: streams and metadata calls are served on {@code target}.
   *
   * @param target the path in the router's file system; never null
   */
  record To(Path target) implements Route {
    /** Refuses a null target. */
    public To {
      Objects.requireNonNull(target, "target");
    }
  }

  /** Returns the answer "not shielded". */
  static Route host() {
    return HostHolder.HOST;
  }

  /** Returns the answer "refused, because {@code reason}". */
  static Route refuse(String reason) {
    return new Refuse(reason);
  }

  /** Returns the answer "served at {@code target}". */
  static Route to(Path target) {
    return new To(target);
  }

  /** Holds the shared {@link Host} instance. */
  final class HostHolder {
    static final Route HOST = new Host();

    private HostHolder() {}
  }
}
