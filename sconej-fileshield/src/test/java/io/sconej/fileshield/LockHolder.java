package io.sconej.fileshield;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A child JVM holding a volume's writer lock as another sconej process would: locks the file
 * named by its argument, prints "locked" and holds it until its stdin ends.
 */
public final class LockHolder {
  private LockHolder() {}

  /** Entry point: {@code LockHolder LOCK_FILE}. */
  public static void main(String[] args) throws Exception {
    try (FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE); var lock = ch.lock()) {
      System.out.println("locked");
      System.out.flush();
      System.in.transferTo(java.io.OutputStream.nullOutputStream());
    }
  }
}
