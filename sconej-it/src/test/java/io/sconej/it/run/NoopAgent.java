package io.sconej.it.run;

/** A Java agent that does nothing: what a host would load to patch the enclave's code. */
public final class NoopAgent {
  private NoopAgent() {}

  /** Agent entry point; does nothing. */
  public static void premain(String args) {}
}
