package io.sconej.ioagent;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sets {@code java.io.tmpdir} after the JVM started (as the runtime does) and prints where the
 * JDK's temporary-file methods put their files when given no directory.
 */
public final class TempDirProbe {
  private TempDirProbe() {}

  /** {@code args[0]}: the directory to make the temporary directory. */
  public static void main(String[] args) throws Exception {
    System.setProperty("java.io.tmpdir", args[0]);
    File io = File.createTempFile("probe-", ".tmp");
    Path nio = Files.createTempFile("probe-", ".tmp");
    Path dir = Files.createTempDirectory("probe-");
    for (Path p : new Path[] {io.toPath(), nio, dir}) {
      System.out.println("in " + p.getParent());
      Files.delete(p);
    }
  }
}
