package io.sconej.cli;

import io.sconej.crypto.SecretBytes;
import io.sconej.fileshield.Volume;
import io.sconej.fileshield.VolumeConfig;
import io.sconej.fileshield.VolumeTag;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sconej fs rm|backup|restore}: the owner's operations that change a volume or copy it, with
 * a key file or on a CAS-managed volume ({@code --cas-volume}; docs/cli.md). A backup is the
 * volume's ciphertext, copied byte for byte and checked to be exactly the state it names; a restore
 * puts a backup back only with the owner's approval, {@code --approve TAG}, and (CAS-managed) makes
 * the CAS accept it through a recorded, owner-approved tag reset.
 */
final class FsOwnerCommands {
  private FsOwnerCommands() {}

  @Command(name = "rm", description = "Delete one file (or an empty directory) of the volume and"
      + " commit; prints the new tag. PATH as for ls.")
  static final class Rm extends FsCommand.Leaf {
    @Parameters(index = "0", paramLabel = "VOLUME")
    String volume;

    @Parameters(index = "1", paramLabel = "PATH")
    String path;

    @Mixin FsCommand.KeyOptions keys;

    @Override
    int fs() throws CliException, IOException {
      String p = FsTransfer.volumePath(path);
      if (p.isEmpty()) {
        throw CliException.usage("/ is the volume root and cannot be deleted");
      }
      try (Volume v = FsCommand.open(volume, keys, "rm")) {
        var at = v.stat(p);
        if (at.isEmpty()) {
          throw CliException.usage("no such file in the volume: " + p);
        }
        if (at.get().directory() && !v.list(p).isEmpty()) {
          throw CliException.usage(p + " is a directory that is not empty");
        }
        v.delete(p);
        out().println("deleted " + p + "; tag:");
        out().println(v.sync().hex());
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "backup", description = "Authenticate every chunk, then copy the volume's"
      + " ciphertext to BACKUP_DIR (must not exist or be empty) and check the copy holds exactly"
      + " that state; with --cas-volume the CAS records the backup in the session's history."
      + " Prints the backup's tag as the last line.")
  static final class Backup extends FsCommand.Leaf {
    @Parameters(index = "0", paramLabel = "VOLUME")
    String volume;

    @Parameters(index = "1", paramLabel = "BACKUP_DIR")
    Path dest;

    @Mixin FsCommand.KeyOptions keys;

    @Override
    int fs() throws CliException, IOException {
      if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)
          && (Files.isSymbolicLink(dest) || !FsCommand.isEmptyDir(dest))) {
        throw CliException.usage("backup directory " + dest + " exists and is not empty");
      }
      VolumeTag tag;
      SecretBytes key;
      Path src = FsCommand.existing(volume);
      if (keys.casVolume != null) {
        CasVolume cas = CasVolume.of(keys, "backup");
        CasVolume.Released r = cas.release();
        key = r.key();
        try {
          if (r.expected().isEmpty()) {
            throw CliException.usage("the CAS holds no tag for volume " + cas.name());
          }
          tag = copyChecked(src, dest, key, r.expected(), r.describe());
        } finally {
          key.destroy();
        }
        cas.recordBackup(tag);
      } else {
        try (Volume v = FsCommand.open(volume, keys, "backup")) {
          tag = v.tag(); // the key, and --tag if given
        }
        key = FsCommand.keyFile(keys);
        try {
          tag = copyChecked(src, dest, key, Set.of(tag), null);
        } finally {
          key.destroy();
        }
      }
      out().println("backup of " + src + " in " + dest + "; tag:");
      out().println(tag.hex());
      return ExitCodes.OK;
    }
  }

  @Command(name = "restore", description = "Put the backup in BACKUP_DIR back as VOLUME (its"
      + " previous contents are replaced), once every chunk of the backup authenticated and its tag"
      + " is the one you approve with --approve TAG. With --cas-volume the CAS's tag is reset to"
      + " TAG (an owner-approved reset, recorded in the session's history), so the application"
      + " starts on the restored state. BACKUP_DIR = VOLUME adopts the volume as it is.")
  static final class Restore extends FsCommand.Leaf {
    @Parameters(index = "0", paramLabel = "VOLUME")
    String volume;

    @Parameters(index = "1", paramLabel = "BACKUP_DIR")
    Path backup;

    @Option(names = "--approve", paramLabel = "TAG",
        description = "The backup's tag (printed by fs backup): your approval of this older state.")
    String approve;

    @Mixin FsCommand.KeyOptions keys;

    @Override
    int fs() throws CliException, IOException {
      if (approve == null) {
        throw CliException.usage("restore resets the volume to an older state: approve it with"
            + " --approve TAG, the backup's tag (fs backup printed it)");
      }
      VolumeTag tag;
      try {
        tag = VolumeTag.parse(approve);
      } catch (IllegalArgumentException e) {
        throw CliException.usage("--approve: " + e.getMessage());
      }
      Path src = FsCommand.existing(backup.toString());
      Path target = Path.of(volume);
      boolean inPlace = Files.isDirectory(target) && Files.isSameFile(src, target);
      CasVolume cas = null;
      SecretBytes key;
      if (keys.casVolume != null) {
        cas = CasVolume.of(keys, "restore");
        key = cas.release().key();
      } else {
        if (keys.tag != null) {
          throw CliException.usage("--tag is not an option of restore: --approve names the state");
        }
        key = FsCommand.keyFile(keys);
      }
      Path staged = target.resolveSibling(target.getFileName() + ".sconej-restore");
      try {
        check(src, key, Set.of(tag), "backup " + src);
        if (!inPlace) {
          deleteTree(staged);
          copyTree(src, staged);
          check(staged, key, Set.of(tag), "copy " + staged);
        }
      } finally {
        key.destroy();
      }
      if (cas != null) {
        cas.approveReset(tag); // from now on the CAS accepts the old and the restored state
      }
      if (!inPlace) {
        Path replaced = target.resolveSibling(target.getFileName() + ".sconej-replaced");
        deleteTree(replaced);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
          Files.move(target, replaced, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(replaced);
      }
      if (cas != null) {
        cas.commit(tag);
      }
      out().println("restored " + src + " as " + target + "; tag:");
      out().println(tag.hex());
      return ExitCodes.OK;
    }
  }

  /** Copies src to dest, then checks dest is one of {@code expected}; returns its tag. */
  private static VolumeTag copyChecked(Path src, Path dest, SecretBytes key,
      Set<VolumeTag> expected, String casState) throws CliException, IOException {
    VolumeTag before = check(src, key, expected, casState == null ? "volume " + src
        : "volume " + src + " (" + casState + ")");
    try {
      copyTree(src, dest);
      check(dest, key, Set.of(before), "copy " + dest);
    } catch (CliException e) {
      deleteTree(dest);
      throw new CliException(e.exitCode(), e.getMessage() + " (did the volume change while it"
          + " was copied? stop the application and back up again)");
    } catch (IOException | RuntimeException e) {
      deleteTree(dest);
      throw e;
    }
    return before;
  }

  /** Opens {@code dir} read-only with {@code expected} tags and authenticates every chunk. */
  private static VolumeTag check(Path dir, SecretBytes key, Set<VolumeTag> expected, String what)
      throws CliException, IOException {
    try (Volume v = Volume.open(dir, key,
        VolumeConfig.builder().readOnly(true).expectedTags(expected).build())) {
      v.verify();
      return v.tag();
    } catch (io.sconej.fileshield.IntegrityViolationException e) {
      throw CliException.violation(what + ": " + e.getMessage());
    }
  }

  /** Copies a directory tree byte for byte (regular files and directories only). */
  static void copyTree(Path src, Path dest) throws IOException {
    Files.walkFileTree(src, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
        Files.createDirectories(dest.resolve(src.relativize(d).toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
        if (a.isRegularFile()) {
          Files.copy(f, dest.resolve(src.relativize(f).toString()),
              StandardCopyOption.COPY_ATTRIBUTES);
        }
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** Deletes a directory tree if it exists. */
  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }
}
