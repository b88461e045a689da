package io.sconej.cli;

import io.sconej.crypto.SecretBytes;
import io.sconej.fileshield.IntegrityViolationException;
import io.sconej.fileshield.Volume;
import io.sconej.fileshield.VolumeConfig;
import io.sconej.fileshield.VolumeMode;
import io.sconej.fileshield.VolumeTag;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code sconej fs}: protected volumes from the command line (docs/cli.md). Integrity, freshness
 * and wrong-key failures exit 3 with one line naming the file, chunk and violation; a missing
 * volume, bad hex or a bad option exits 2.
 */
final class FsCommand implements Command {
  private static final String USAGE = "sconej fs init|import|export|verify|tag|ls|cat ...";

  @Override
  public String summary() {
    return "protected volumes: init, import, export, verify, tag, ls, cat";
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) throws CliException {
    if (args.length == 0) {
      throw CliException.usage("usage: " + USAGE);
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      return switch (args[0]) {
        case "init" -> init(rest, out);
        case "import" -> FsTransfer.importTree(rest, out);
        case "export" -> FsTransfer.exportTree(rest, out);
        case "verify" -> verify(rest, out);
        case "tag" -> tag(rest, out);
        case "ls" -> FsTransfer.ls(rest, out);
        case "cat" -> FsTransfer.cat(rest, out);
        default -> throw CliException.usage("unknown fs subcommand '" + args[0] + "' (" + USAGE
            + ")");
      };
    } catch (IntegrityViolationException e) {
      throw CliException.violation(e.getMessage());
    } catch (NoSuchFileException e) {
      throw CliException.usage("no such file: " + e.getMessage());
    } catch (IOException e) {
      throw new CliException(ExitCodes.OTHER, "I/O error: " + e.getMessage());
    }
  }

  private int init(String[] a, PrintStream out) throws CliException, IOException {
    Args p = Args.parse(a, Set.of("new-key", "mode", "chunk-size"), Set.of());
    Path vol = Path.of(p.positionals(1, 1, "sconej fs init VOLUME --new-key KEYFILE "
        + "[--mode encrypted|authenticated] [--chunk-size BYTES]").get(0));
    VolumeConfig.Builder b = VolumeConfig.builder();
    try {
      b.mode(VolumeMode.parse(p.option("mode").orElse("encrypted")));
      if (p.option("chunk-size").isPresent()) {
        b.chunkSizeBytes(Integer.parseInt(p.option("chunk-size").get()));
      }
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
    Path keyFile = Path.of(p.required("new-key"));
    if (java.nio.file.Files.exists(vol) && !isEmptyDir(vol)) {
      throw CliException.usage(vol + " exists and is not an empty directory");
    }
    SecretBytes key = KeyFiles.create(keyFile);
    try (Volume v = Volume.create(vol, key, b.build())) {
      out.println(v.tag().hex());
    } finally {
      key.destroy();
    }
    return ExitCodes.OK;
  }

  private static boolean isEmptyDir(Path p) throws IOException {
    if (!java.nio.file.Files.isDirectory(p)) {
      return false;
    }
    try (var s = java.nio.file.Files.list(p)) {
      return s.findAny().isEmpty();
    }
  }

  /** Opens VOLUME with --key-file and optional --tag, read-only unless {@code writable}. */
  static Volume open(Args p, String volume, boolean writable) throws CliException, IOException {
    Path dir = Path.of(volume);
    if (!java.nio.file.Files.isDirectory(dir)) {
      throw CliException.usage("volume " + dir + " does not exist");
    }
    SecretBytes key = KeyFiles.read(Path.of(p.required("key-file")));
    VolumeConfig.Builder b = VolumeConfig.builder().readOnly(!writable);
    if (p.option("tag").isPresent()) {
      try {
        b.expectedTags(Set.of(VolumeTag.parse(p.option("tag").get())));
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

  private int verify(String[] a, PrintStream out) throws CliException, IOException {
    Args p = Args.parse(a, Set.of("key-file", "tag"), Set.of());
    List<String> pos = p.positionals(1, 1, "sconej fs verify VOLUME --key-file K [--tag TAG]");
    try (Volume v = open(p, pos.get(0), false)) {
      v.verify();
      out.println("volume intact; tag:");
      out.println(v.tag().hex());
    }
    return ExitCodes.OK;
  }

  private int tag(String[] a, PrintStream out) throws CliException, IOException {
    Args p = Args.parse(a, Set.of("key-file"), Set.of());
    List<String> pos = p.positionals(1, 1, "sconej fs tag VOLUME --key-file K");
    try (Volume v = open(p, pos.get(0), false)) {
      out.println(v.tag().hex());
    }
    return ExitCodes.OK;
  }
}
