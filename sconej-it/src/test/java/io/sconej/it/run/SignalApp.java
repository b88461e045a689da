package io.sconej.it.run;

import java.io.BufferedReader;
import java.io.InputStreamReader;

/** A plain application that prints, waits for one stdin line, prints again and returns. */
public final class SignalApp {
  private SignalApp() {}

  /** Prints a line to stdout, then another after reading stdin, and one to stderr. */
  public static void main(String[] args) throws Exception {
    System.out.println("before-signal");
    String line = new BufferedReader(new InputStreamReader(System.in)).readLine();
    System.out.println("after-signal " + line);
    System.err.println("on-stderr");
  }
}
