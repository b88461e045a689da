package io.sconej.sample;

/** Hello world, for start-up measurements. */
public final class Hello {
  private Hello() {}

  /** Prints one line. */
  public static void main(String[] args) {
    System.out.println("hello");
  }
}
