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
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code sconej fs import|export|ls|cat}: moving trees and bytes in and out of volumes. */
final class FsTransfer {
  private static final int BLOCK = 1 << 20;

  private FsTransfer() {}

  @Command(name = "import", description = "Copy a plain tree in (regular files and directories;"
      + " others skipped with a note), keep modification times, commit; prints the new tag.")
  static final class Import extends FsCommand.Leaf {
    @Parameters(index = "0", paramLabel = "VOLUME")
    String volume;

    @Parameters(index = "1", paramLabel = "SOURCE_DIR")
    Path source;

    @Mixin FsCommand.KeyOptions keys;

    @Override
    int fs() throws CliException, IOException {
      return importTree(volume, source, keys, out());
    }
  }

  @Command(name = "export", description = "Verify every byte first, then write the plaintext tree"
      + " to DEST_DIR (must not exist or be empty); prints the tag.")
  static final class Export extends FsCommand.Leaf {
    @Parameters(index = "0", paramLabel = "VOLUME")
    String volume;

    @Parameters(index = "1", paramLabel = "DEST_DIR")
    Path dest;

    @Mixin FsCommand.KeyOptions keys;

    @Override
    int fs() throws CliException, IOException {
      return exportTree(volume, dest, keys, out());
    }
  }

  @Command(name = "ls", description = "List a directory of the volume (d/f, size, name). PATH is"
      + " relative to the volume root; a leading / is allowed and / (or no PATH) is the root;"
      + " ., .. and empty segments are refused (exit 2).")
  static final class Ls extends FsCommand.Leaf {
    @Parameters(index = "0", paramLabel = "VOLUME")
    String volume;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PATH", defaultValue = "")
    String path;

    @Mixin FsCommand.KeyOptions keys;

    @Override
    int fs() throws CliException, IOException {
      return ls(volume, volumePath(path), keys, out());
    }
  }

  @Command(name = "cat", description = "Write a file's plaintext to stdout. PATH as for ls.")
  static final class Cat extends FsCommand.Leaf {
    @Parameters(index = "0", paramLabel = "VOLUME")
    String volume;

    @Parameters(index = "1", paramLabel = "PATH")
    String path;

    @Mixin FsCommand.KeyOptions keys;

    @Override
    int fs() throws CliException, IOException {
      return cat(volume, volumePath(path), keys, out());
    }
  }

  /**
   * A path inside a volume as the volume takes it: a leading and a trailing {@code /} are dropped,
   * {@code /} is the root ({@code ""}); the volume refuses {@code .}, {@code ..} and empty segments
   * (InvalidPathException, exit 2).
   */
  static String volumePath(String p) {
    String s = p.startsWith("/") ? p.substring(1) : p;
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  static int importTree(String volume, Path src, FsCommand.KeyOptions keys, PrintStream out)
      throws CliException, IOException {
    if (!Files.isDirectory(src)) {
      throw CliException.usage("source " + src + " is not a directory");
    }
    try (Volume v = FsCommand.open(volume, keys, "import")) {
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

  static int exportTree(String volume, Path dest, FsCommand.KeyOptions keys, PrintStream out)
      throws CliException, IOException {
    if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)
        && (Files.isSymbolicLink(dest) || !FsCommand.isEmptyDir(dest))) {
      throw CliException.usage("destination " + dest + " exists and is not an empty directory");
    }
    try (Volume v = FsCommand.open(volume, keys, "export")) {
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

  static int ls(String volume, String path, FsCommand.KeyOptions keys, PrintStream out)
      throws CliException, IOException {
    try (Volume v = FsCommand.open(volume, keys, "list")) {
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

  static int cat(String volume, String path, FsCommand.KeyOptions keys, PrintStream out)
      throws CliException, IOException {
    try (Volume v = FsCommand.open(volume, keys, "cat")) {
      if (path.isEmpty()) {
        throw CliException.usage("/ is a directory (the volume root)");
      }
      if (v.stat(path).isEmpty()) {
        throw CliException.usage("no such file in the volume: " + path);
      }
      if (v.stat(path).get().directory()) {
        throw CliException.usage(path + " is a directory");
      }
      try (VolumeFile f = v.open(path, Set.of(StandardOpenOption.READ))) {
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
