package io.sconej.it.run;

import java.io.BufferedReader;
import java.io.InputStreamReader;

/** A plain application that echoes one line of stdin, then runs until it is stopped. */
public final class StdinSleepApp {
  private StdinSleepApp() {}

  /** Echoes the first stdin line and sleeps for a minute. */
  public static void main(String[] args) throws Exception {
    String line = new BufferedReader(new InputStreamReader(System.in)).readLine();
    System.out.println("got " + line);
    System.out.flush();
    Thread.sleep(60_000);
  }
}
