package io.sconej.fileshield.nio;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * An "unmodified application" for {@link DefaultProviderChildJvmTest}: plain NIO code, run in a
 * child JVM with sconej as the default provider. Args: write|read, region dir, outside dir, marker.
 */
public final class DefaultProviderProbe {
  private DefaultProviderProbe() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Path region = Path.of(args[1]);
    File outside = new File(args[2]);
    String marker = args[3];
    check(
        FileSystems.getDefault().provider() instanceof SconejDefaultFileSystemProvider,
        "default provider is " + FileSystems.getDefault().provider());
    if (mode.equals("write")) {
      Files.createDirectories(region.resolve("sub"));
      Files.writeString(region.resolve("sub/a.txt"), marker + " via Path.of");
      Path b = new File(region.toFile(), "b.txt").toPath();
      Files.write(b, (marker + " via File.toPath").getBytes(StandardCharsets.UTF_8));
      try (FileChannel ch =
          FileChannel.open(
              region.resolve("c.bin"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap(marker.getBytes(StandardCharsets.UTF_8)), 1 << 16);
        ch.force(true);
      }
      Files.move(region.resolve("sub/a.txt"), region.resolve("sub/a2.txt"));
      Files.copy(region.resolve("b.txt"), outside.toPath().resolve("exported.txt"));
      Files.writeString(outside.toPath().resolve("plain.txt"), marker + " outside");
      Files.writeString(
          region.resolve("imported.txt"), Files.readString(outside.toPath().resolve("plain.txt")));
      check(region.resolve("b.txt").toUri().getScheme().equals("file"), "toUri scheme");
      check(region.resolve("b.txt").toFile().getPath().equals(region + "/b.txt"), "toFile");
      check(region.resolve("x").compareTo(Path.of(args[1], "x")) == 0, "compareTo");
      check(
          region.relativize(region.resolve("sub/a2.txt")).toString().equals("sub/a2.txt"),
          "relativize");
      check(Files.getFileStore(region).type().startsWith("sconej-"), "region file store");
      try {
        region.register(
            FileSystems.getDefault().newWatchService(),
            java.nio.file.StandardWatchEventKinds.ENTRY_CREATE);
        check(false, "register in a region must be refused");
      } catch (UnsupportedOperationException expected) {
        // refused, as documented
      }
    }
    try (Stream<Path> s = Files.walk(region)) {
      System.out.println("walk " + s.count());
    }
    System.out.println("a " + Files.readString(region.resolve("sub/a2.txt")));
    System.out.println("b " + Files.readString(new File(args[1], "b.txt").toPath()));
    byte[] c = Files.readAllBytes(region.resolve("c.bin"));
    System.out.println(
        "c "
            + c.length
            + " "
            + new String(c, 1 << 16, c.length - (1 << 16), StandardCharsets.UTF_8));
    System.out.println("imported " + Files.readString(region.resolve("imported.txt")));
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("probe check failed: " + what);
    }
  }
}
