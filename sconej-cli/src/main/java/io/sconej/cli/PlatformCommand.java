package io.sconej.cli;

import io.sconej.attestation.sim.SimPlatform;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sconej platform}: the SIMULATION platform key and certificate that sign sim evidence.
 *
 * <pre>
 * sconej platform init --dir DIR [--days N]   create DIR/platform-key.pem (0600) and
 *                                             DIR/platform-cert.pem; never overwrites
 * sconej platform show --dir DIR              check and describe an existing platform
 * </pre>
 *
 * Both print {@code platform-id: <hex>} and {@code certificate: <path>} on stdout and a warning
 * that sim gives no hardware protection on stderr. Exit 2 for bad arguments, an existing platform
 * (init) or a missing or corrupt one (show), 1 for other I/O failures.
 */
@Command(
    name = "platform",
    description = "Sim platform key and certificate: init, show.",
    subcommands = {PlatformCommand.Init.class, PlatformCommand.Show.class})
final class PlatformCommand extends CliCommand {

  @Command(name = "init", description = "Create DIR/platform-key.pem (0600) and"
      + " DIR/platform-cert.pem; never overwrites.")
  static final class Init extends CliCommand implements Callable<Integer> {
    @Option(names = "--dir", required = true, paramLabel = "DIR")
    Path dir;

    @Option(names = "--days", paramLabel = "N",
        description = "Certificate validity, 1 to 36500 days.")
    Long days;

    @Override
    public Integer call() throws CliException {
      long d = days == null ? SimPlatform.DEFAULT_VALIDITY.toDays() : days;
      if (d < 1 || d > 36500) {
        throw CliException.usage("--days must be between 1 and 36500, is " + d);
      }
      if (CliFiles.existsNoFollow(dir) && !java.nio.file.Files.isDirectory(dir)) {
        throw CliException.usage("--dir " + dir + " is not a directory");
      }
      SimPlatform p;
      try {
        p = SimPlatform.init(dir, Duration.ofDays(d));
      } catch (FileAlreadyExistsException e) {
        throw CliException.usage("refusing to overwrite the platform file " + e.getFile());
      } catch (IOException e) {
        throw new CliException(ExitCodes.OTHER, e.getMessage());
      }
      return describe(p, dir, out(), err());
    }
  }

  @Command(name = "show", description = "Check and describe an existing platform.")
  static final class Show extends CliCommand implements Callable<Integer> {
    @Option(names = "--dir", required = true, paramLabel = "DIR")
    Path dir;

    @Override
    public Integer call() throws CliException {
      return describe(load(dir, "--dir"), dir, out(), err());
    }
  }

  /**
   * Loads the sim platform in {@code dir}: a missing, oversized, non-regular or corrupt key or
   * certificate file is a usage error (exit 2) naming it.
   */
  static SimPlatform load(Path dir, String option) throws CliException {
    CliFiles.checkDirectory(dir, option);
    CliFiles.check(dir.resolve(SimPlatform.KEY_FILE), "platform key", CliFiles.PEM_MAX_BYTES);
    CliFiles.check(dir.resolve(SimPlatform.CERT_FILE), "platform certificate",
        CliFiles.PEM_MAX_BYTES);
    try {
      return SimPlatform.load(dir);
    } catch (NoSuchFileException e) {
      throw CliException.usage(option + " " + dir + ": " + e.getFile() + " does not exist");
    } catch (IOException e) {
      throw CliException.usage(option + " " + dir + ": " + e.getMessage());
    }
  }

  private static int describe(SimPlatform p, Path dir, PrintStream out, PrintStream err) {
    err.println(
        "WARNING: a sim platform is a software key on this host: its evidence gives NO hardware"
            + " protection; a CAS accepts it only where a policy tolerates simulation");
    out.println("platform-id: " + p.platformIdHex());
    out.println("certificate: " + dir.resolve(SimPlatform.CERT_FILE).toAbsolutePath());
    out.println("valid-until: " + p.certificate().getNotAfter().toInstant());
    return ExitCodes.OK;
  }
}
