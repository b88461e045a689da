package io.sconej.cli;

import io.sconej.crypto.SecretBytes;
import io.sconej.fileshield.IntegrityViolationException;
import io.sconej.fileshield.VolumeInUseException;
import io.sconej.fileshield.Volume;
import io.sconej.fileshield.VolumeConfig;
import io.sconej.fileshield.VolumeMode;
import io.sconej.fileshield.VolumeTag;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sconej fs}: protected volumes from the command line (docs/cli.md). Integrity, freshness
 * and wrong-key failures exit 3 with one line naming the file, chunk and violation; a missing
 * volume, a directory that is not a volume, bad hex, a bad path inside the volume or a bad option
 * exits 2.
 */
@Command(
    name = "fs",
    description = "Protected volumes: init, import, export, verify, tag, ls, cat.",
    subcommands = {
      FsCommand.Init.class,
      FsTransfer.Import.class,
      FsTransfer.Export.class,
      FsCommand.Verify.class,
      FsCommand.Tag.class,
      FsTransfer.Ls.class,
      FsTransfer.Cat.class
    })
final class FsCommand extends CliCommand {

  /** A leaf of {@code sconej fs}: maps volume failures to exit codes. */
  abstract static class Leaf extends CliCommand implements Callable<Integer> {
    @Override
    public final Integer call() throws CliException {
      try {
        return fs();
      } catch (IntegrityViolationException e) {
        throw CliException.violation(e.getMessage());
      } catch (NoSuchFileException e) {
        throw CliException.usage("no such file: " + e.getMessage());
      } catch (VolumeInUseException e) {
        throw CliException.usage(e.getMessage()); // another writer has it: not this command's
      } catch (InvalidPathException e) {
        throw CliException.usage("bad path in the volume: " + e.getMessage());
      } catch (IOException e) {
        throw new CliException(ExitCodes.OTHER, "I/O error: " + e.getMessage());
      }
    }

    abstract int fs() throws CliException, IOException;
  }

  /** The options of every command that opens an existing volume. */
  static final class KeyOptions {
    @Option(names = "--key-file", required = true, paramLabel = "KEYFILE",
        description = "The volume key: 64 hex characters (a regular file, at most 1 KiB).")
    Path keyFile;

    @Option(names = "--tag", paramLabel = "TAG",
        description = "The expected volume state; any other is a freshness violation (exit 3).")
    String tag;
  }

  @Command(name = "init", description = "Create an empty volume and a fresh key file (mode 0600,"
      + " never overwritten); prints the volume tag as the last line.")
  static final class Init extends Leaf {
    @Parameters(paramLabel = "VOLUME", description = "A directory that does not exist or is empty.")
    Path vol;

    @Option(names = "--new-key", required = true, paramLabel = "KEYFILE",
        description = "The key file to create.")
    Path keyFile;

    @Option(names = "--mode", paramLabel = "encrypted|authenticated", defaultValue = "encrypted",
        description = "Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--chunk-size", paramLabel = "BYTES", description = "The chunk size.")
    Integer chunkSize;

    @Override
    int fs() throws CliException, IOException {
      VolumeConfig.Builder b = VolumeConfig.builder();
      try {
        b.mode(VolumeMode.parse(mode));
        if (chunkSize != null) {
          b.chunkSizeBytes(chunkSize);
        }
      } catch (IllegalArgumentException e) {
        throw CliException.usage(e.getMessage());
      }
      if (Files.exists(vol) && !isEmptyDir(vol)) {
        throw CliException.usage(vol + " exists and is not an empty directory");
      }
      Path parent = vol.toAbsolutePath().getParent();
      if (parent != null && !Files.isDirectory(parent)) { // checked before the key file is made
        throw CliException.usage("volume " + vol + ": the directory " + parent
            + " does not exist");
      }
      SecretBytes key = KeyFiles.create(keyFile);
      try (Volume v = Volume.create(vol, key, b.build())) {
        out().println(v.tag().hex());
      } finally {
        key.destroy();
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "verify", description = "Authenticate the header, manifest and every chunk of"
      + " every file; prints the tag.")
  static final class Verify extends Leaf {
    @Parameters(paramLabel = "VOLUME")
    String volume;

    @picocli.CommandLine.Mixin KeyOptions keys;

    @Override
    int fs() throws CliException, IOException {
      try (Volume v = open(volume, keys, false)) {
        v.verify();
        out().println("volume intact; tag:");
        out().println(v.tag().hex());
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "tag", description = "Open the volume (manifest authenticated); prints the tag.")
  static final class Tag extends Leaf {
    @Parameters(paramLabel = "VOLUME")
    String volume;

    @Option(names = "--key-file", required = true, paramLabel = "KEYFILE",
        description = "The volume key: 64 hex characters (a regular file, at most 1 KiB).")
    Path keyFile;

    @Override
    int fs() throws CliException, IOException {
      KeyOptions k = new KeyOptions();
      k.keyFile = keyFile;
      try (Volume v = open(volume, k, false)) {
        out().println(v.tag().hex());
      }
      return ExitCodes.OK;
    }
  }

  static boolean isEmptyDir(Path p) throws IOException {
    if (!Files.isDirectory(p)) {
      return false;
    }
    try (var s = Files.list(p)) {
      return s.findAny().isEmpty();
    }
  }

  /** Opens VOLUME with --key-file and optional --tag, read-only unless {@code writable}. */
  static Volume open(String volume, KeyOptions o, boolean writable)
      throws CliException, IOException {
    Path dir = Path.of(volume);
    if (!Files.isDirectory(dir)) {
      throw CliException.usage("volume " + dir + " does not exist"
          + (Files.exists(dir) ? " (not a directory)" : ""));
    }
    SecretBytes key = KeyFiles.read(o.keyFile);
    VolumeConfig.Builder b = VolumeConfig.builder().readOnly(!writable);
    if (o.tag != null) {
      try {
        b.expectedTags(Set.of(VolumeTag.parse(o.tag)));
      } catch (IllegalArgumentException e) {
        throw CliException.usage(e.getMessage());
      }
    }
    try {
      return Volume.open(dir, key, b.build());
    } catch (NoSuchFileException e) {
      throw CliException.usage(e.getMessage());
    } finally {
      key.destroy();
    }
  }
}
