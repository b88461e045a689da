package io.sconej.runtime;

import java.lang.instrument.Instrumentation;

/**
 * The runtime's agent entry point: the enclave JVM is started with {@code -javaagent} on the
 * runtime jar, so that the runtime holds an {@link Instrumentation} before any application class
 * loads. It does nothing else; {@link EnclaveMain} drives the start.
 */
public final class RuntimeAgent {
  private static volatile Instrumentation instrumentation;

  private RuntimeAgent() {}

  /** Called by the JVM before main. */
  public static void premain(String args, Instrumentation inst) {
    instrumentation = inst;
  }

  /** Called when the agent is loaded into a running JVM (tests). */
  public static void agentmain(String args, Instrumentation inst) {
    instrumentation = inst;
  }

  /** The instrumentation, or null if the JVM was not started with the runtime agent. */
  static Instrumentation instrumentation() {
    return instrumentation;
  }
}
