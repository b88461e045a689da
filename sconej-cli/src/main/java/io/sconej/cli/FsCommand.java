package io.sconej.cli;

import io.sconej.crypto.SecretBytes;
import io.sconej.fileshield.FreshnessViolationException;
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
    description = "Protected volumes: init, import, export, verify, tag, ls, cat, rm, backup,"
        + " restore; with a key file or CAS-managed (--cas-volume).",
    subcommands = {
      FsCommand.Init.class,
      FsTransfer.Import.class,
      FsTransfer.Export.class,
      FsCommand.Verify.class,
      FsCommand.Tag.class,
      FsTransfer.Ls.class,
      FsTransfer.Cat.class,
      FsOwnerCommands.Rm.class,
      FsOwnerCommands.Backup.class,
      FsOwnerCommands.Restore.class
    })
final class FsCommand extends CliCommand {

  /** A leaf of {@code sconej fs}: maps volume failures to exit codes. */
  abstract static class Leaf extends CliCommand implements Callable<Integer> {
    @Override
    public final Integer call() throws CliException {
      try {
        return fs();
      } catch (CasVolume.RefusedException e) {
        throw e.cli();
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

  /**
   * The options of every command that opens an existing volume: {@code --key-file} (and optionally
   * {@code --tag}) for a volume the owner keys, or {@code --cas-volume} with the CAS options for a
   * volume the CAS keys (its key and tags are released to this process for the one operation).
   */
  static final class KeyOptions {
    @Option(names = "--key-file", paramLabel = "KEYFILE",
        description = "The volume key: 64 hex characters (a regular file, at most 1 KiB).")
    Path keyFile;

    @Option(names = "--tag", paramLabel = "TAG",
        description = "The expected volume state; any other is a freshness violation (exit 3).")
    String tag;

    @Option(names = "--cas-volume", paramLabel = "SESSION/SERVICE/VOLUME",
        description = "A CAS-managed volume: the CAS releases its key and tags to this process"
            + " (memory only) for this operation, as the --identity owner.")
    String casVolume;

    @Option(names = "--cas", paramLabel = "URL",
        description = "With --cas-volume: https://HOST[:PORT] or HOST:PORT.")
    String cas;

    @Option(names = "--cas-ca", paramLabel = "CA.pem",
        description = "With --cas-volume: the CAS certificate to pin.")
    Path casCa;

    @Option(names = "--identity", paramLabel = "owner.pem",
        description = "With --cas-volume: the owner's key and certificate; the session's creator"
            + " or access_policy decides what it may do.")
    Path identity;
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
      try (Volume v = open(volume, keys, "verify")) {
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
      try (Volume v = open(volume, k, "list")) {
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

  /** Whether {@code operation} changes the volume (opened read-write, update access at the CAS). */
  static boolean writes(String operation) {
    return Set.of("rm", "import", "restore").contains(operation);
  }

  /**
   * Opens VOLUME for {@code operation} (read-only unless it {@link #writes}): with --key-file and
   * optional --tag, or as a CAS-managed volume (--cas-volume), whose state must then be the
   * committed or pending tag the CAS holds and whose commits are reported to the CAS.
   */
  static Volume open(String volume, KeyOptions o, String operation)
      throws CliException, IOException {
    if (o.casVolume != null) {
      CasVolume cas = CasVolume.of(o, operation);
      Path dir = existing(volume);
      CasVolume.Released r = cas.release();
      try {
        if (r.expected().isEmpty() && operation.equals("import") && isEmptyDir(dir)) {
          return created(dir, cas, r); // the owner seeds the volume before the first start
        }
        if (r.expected().isEmpty()) {
          throw CliException.usage("the CAS holds no tag for volume " + cas.name() + " (the"
              + " application never committed it), so its freshness cannot be checked"
              + (operation.equals("import") ? "; import into an empty directory creates it" : ""));
        }
        VolumeConfig.Builder b = VolumeConfig.builder().readOnly(!writes(operation))
            .expectedTags(r.expected()).commitListener(cas.commitListener());
        return openWith(dir, r.key(), b, r.describe());
      } finally {
        r.key().destroy();
      }
    }
    checkKeyFileOptions(o);
    Path dir = existing(volume);
    VolumeConfig.Builder b = VolumeConfig.builder().readOnly(!writes(operation));
    if (o.tag != null) {
      try {
        b.expectedTags(Set.of(VolumeTag.parse(o.tag)));
      } catch (IllegalArgumentException e) {
        throw CliException.usage(e.getMessage());
      }
    }
    SecretBytes key = KeyFiles.read(o.keyFile);
    try {
      return openWith(dir, key, b, null);
    } finally {
      key.destroy();
    }
  }

  /**
   * Creates the volume in the empty {@code dir} with the CAS's key and kind, as the enclave would
   * at its first start, and makes its first tag the CAS's before returning it for writing.
   */
  private static Volume created(Path dir, CasVolume cas, CasVolume.Released r)
      throws CliException, IOException {
    VolumeConfig.Builder b = VolumeConfig.builder().commitListener(cas.commitListener());
    try {
      b.mode(VolumeMode.parse(r.kind()));
    } catch (IllegalArgumentException e) {
      throw CliException.peer("the CAS named an unknown volume kind: " + e.getMessage());
    }
    Volume v = Volume.create(dir, r.key(), b.build());
    try {
      cas.announceCreated(v.tag());
    } catch (CliException e) {
      v.failClosed("the CAS refused the new volume's tag");
      v.close();
      try (var children = Files.list(dir)) { // leave the directory empty, as it was
        for (Path c : children.toList()) {
          FsOwnerCommands.deleteTree(c);
        }
      }
      throw e;
    }
    return v;
  }

  /** Checks that --key-file is given and no CAS option is (else exit 2). */
  static void checkKeyFileOptions(KeyOptions o) throws CliException {
    if (o.keyFile == null) {
      throw CliException.usage("give --key-file KEYFILE, or --cas-volume SESSION/SERVICE/VOLUME"
          + " with --cas, --cas-ca and --identity");
    }
    if (o.cas != null || o.casCa != null || o.identity != null) {
      throw CliException.usage("--cas, --cas-ca and --identity need --cas-volume");
    }
  }

  /** The key of --key-file, checking the options first (else exit 2). */
  static SecretBytes keyFile(KeyOptions o) throws CliException {
    checkKeyFileOptions(o);
    return KeyFiles.read(o.keyFile);
  }

  /** VOLUME as a directory that exists (else exit 2). */
  static Path existing(String volume) throws CliException {
    Path dir = Path.of(volume);
    if (!Files.isDirectory(dir)) {
      throw CliException.usage("volume " + dir + " does not exist"
          + (Files.exists(dir) ? " (not a directory)" : ""));
    }
    return dir;
  }

  private static Volume openWith(Path dir, SecretBytes key, VolumeConfig.Builder b,
      String casState) throws CliException, IOException {
    try {
      return Volume.open(dir, key, b.build());
    } catch (NoSuchFileException e) {
      throw CliException.usage(e.getMessage());
    } catch (FreshnessViolationException e) {
      if (casState == null) {
        throw e;
      }
      throw CliException.violation(e.getMessage() + "; " + casState);
    }
  }
}
