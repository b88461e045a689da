package io.sconej.cli;

import io.sconej.fileshield.NodeAttributes;
import io.sconej.fileshield.Volume;
import io.sconej.fileshield.VolumeFile;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Set;

/** {@code sconej fs import|export|ls|cat}: moving trees and bytes in and out of volumes. */
final class FsTransfer {
  private static final int BLOCK = 1 << 20;

  private FsTransfer() {}

  static int importTree(String[] a, PrintStream out) throws CliException, IOException {
    Args p = Args.parse(a, Set.of("key-file", "tag"), Set.of());
    List<String> pos = p.positionals(2, 2, "sconej fs import VOLUME SOURCE_DIR --key-file K");
    Path src = Path.of(pos.get(1));
    if (!Files.isDirectory(src)) {
      throw CliException.usage("source " + src + " is not a directory");
    }
    try (Volume v = FsCommand.open(p, pos.get(0), true)) {
      ByteBuffer buf = ByteBuffer.allocateDirect(BLOCK);
      Files.walkFileTree(src, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs)
            throws IOException {
          String rel = rel(src, d);
          if (!rel.isEmpty() && v.stat(rel).isEmpty()) {
            v.createDirectory(rel);
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
          String rel = rel(src, f);
          if (!attrs.isRegularFile()) {
            System.err.println("sconej fs import: skipping " + f + " (not a regular file)");
            return FileVisitResult.CONTINUE;
          }
          try (FileChannel in = FileChannel.open(f, StandardOpenOption.READ);
              VolumeFile vf = v.open(rel, Set.of(StandardOpenOption.WRITE,
                  StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING))) {
            long at = 0;
            while (true) {
              buf.clear();
              int n = in.read(buf, at);
              if (n < 0) {
                break;
              }
              buf.flip();
              vf.write(buf, at);
              at += n;
            }
          }
          v.setLastModifiedTime(rel, attrs.lastModifiedTime().toMillis());
          return FileVisitResult.CONTINUE;
        }
      });
      out.println(v.sync().hex());
    }
    return ExitCodes.OK;
  }

  private static String rel(Path base, Path p) {
    return base.relativize(p).toString().replace('\\', '/');
  }

  static int exportTree(String[] a, PrintStream out) throws CliException, IOException {
    Args p = Args.parse(a, Set.of("key-file", "tag"), Set.of());
    List<String> pos = p.positionals(2, 2,
        "sconej fs export VOLUME DEST_DIR --key-file K [--tag TAG]");
    Path dest = Path.of(pos.get(1));
    if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
      boolean empty;
      try (var s = Files.list(dest)) {
        empty = Files.isDirectory(dest) && s.findAny().isEmpty();
      }
      if (!empty) {
        throw CliException.usage("destination " + dest + " exists and is not an empty directory");
      }
    }
    try (Volume v = FsCommand.open(p, pos.get(0), false)) {
      v.verify(); // every byte is authenticated before any plaintext is written out
      Files.createDirectories(dest);
      copyOut(v, "", dest, ByteBuffer.allocate(BLOCK));
      out.println(v.tag().hex());
    }
    return ExitCodes.OK;
  }

  private static void copyOut(Volume v, String dir, Path dest, ByteBuffer buf) throws IOException {
    for (String name : v.list(dir)) {
      String rel = dir.isEmpty() ? name : dir + "/" + name;
      NodeAttributes at = v.stat(rel).orElseThrow();
      Path target = dest.resolve(name);
      if (at.directory()) {
        Files.createDirectory(target);
        copyOut(v, rel, target, buf);
      } else {
        try (VolumeFile f = v.open(rel, Set.of(StandardOpenOption.READ));
            FileChannel o = FileChannel.open(target, StandardOpenOption.WRITE,
                StandardOpenOption.CREATE_NEW)) {
          long pos = 0;
          while (true) {
            buf.clear();
            int n = f.read(buf, pos);
            if (n < 0) {
              break;
            }
            buf.flip();
            while (buf.hasRemaining()) {
              o.write(buf);
            }
            pos += n;
          }
        }
        Files.setLastModifiedTime(target, FileTime.fromMillis(at.lastModifiedMillis()));
      }
    }
  }

  static int ls(String[] a, PrintStream out) throws CliException, IOException {
    Args p = Args.parse(a, Set.of("key-file", "tag"), Set.of());
    List<String> pos = p.positionals(1, 2, "sconej fs ls VOLUME [PATH] --key-file K");
    String path = pos.size() > 1 ? pos.get(1) : "";
    try (Volume v = FsCommand.open(p, pos.get(0), false)) {
      NodeAttributes self = v.stat(path).orElseThrow(
          () -> CliException.usage("no such path in the volume: " + path).asUnchecked());
      if (!self.directory()) {
        out.printf("f %12d  %s%n", self.sizeBytes(), path);
        return ExitCodes.OK;
      }
      for (String name : v.list(path)) {
        String rel = path.isEmpty() ? name : path + "/" + name;
        NodeAttributes at = v.stat(rel).orElseThrow();
        out.printf("%s %12d  %s%n", at.directory() ? "d" : "f", at.sizeBytes(),
            at.directory() ? name + "/" : name);
      }
    } catch (CliException.Unchecked e) {
      throw e.checked();
    }
    return ExitCodes.OK;
  }

  static int cat(String[] a, PrintStream out) throws CliException, IOException {
    Args p = Args.parse(a, Set.of("key-file", "tag"), Set.of());
    List<String> pos = p.positionals(2, 2, "sconej fs cat VOLUME PATH --key-file K");
    try (Volume v = FsCommand.open(p, pos.get(0), false)) {
      if (v.stat(pos.get(1)).isEmpty()) {
        throw CliException.usage("no such file in the volume: " + pos.get(1));
      }
      if (v.stat(pos.get(1)).get().directory()) {
        throw CliException.usage(pos.get(1) + " is a directory");
      }
      try (VolumeFile f = v.open(pos.get(1), Set.of(StandardOpenOption.READ))) {
        ByteBuffer buf = ByteBuffer.allocate(BLOCK);
        OutputStream os = out;
        long at = 0;
        while (true) {
          buf.clear();
          int n = f.read(buf, at);
          if (n < 0) {
            break;
          }
          os.write(buf.array(), 0, n);
          at += n;
        }
        os.flush();
      }
    }
    return ExitCodes.OK;
  }
}
