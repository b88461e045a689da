package io.sconej.cli;

import io.sconej.attestation.sim.SimPlatform;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

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
 * that sim gives no hardware protection on stderr. Exit 2 for bad arguments or an existing
 * platform, 1 for I/O failures.
 */
final class PlatformCommand implements Command {
  private static final String USAGE =
      "sconej platform init --dir DIR [--days N] | sconej platform show --dir DIR";

  @Override
  public String summary() {
    return "sim platform key and certificate: init, show";
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) throws CliException {
    Args a = Args.parse(args, Set.of("dir", "days"), Set.of());
    List<String> pos = a.positionals(1, 1, USAGE);
    Path dir = Path.of(a.required("dir"));
    SimPlatform p;
    try {
      switch (pos.get(0)) {
        case "init" -> p = SimPlatform.init(dir, Duration.ofDays(days(a)));
        case "show" -> {
          if (a.option("days").isPresent()) {
            throw CliException.usage("--days applies to init only");
          }
          p = SimPlatform.load(dir);
        }
        default -> throw CliException.usage("usage: " + USAGE);
      }
    } catch (FileAlreadyExistsException e) {
      throw CliException.usage("refusing to overwrite the platform file " + e.getFile());
    } catch (IOException e) {
      throw new CliException(ExitCodes.OTHER, e.getMessage());
    }
    err.println(
        "WARNING: a sim platform is a software key on this host: its evidence gives NO hardware"
            + " protection; a CAS accepts it only where a policy tolerates simulation");
    out.println("platform-id: " + p.platformIdHex());
    out.println("certificate: " + dir.resolve(SimPlatform.CERT_FILE).toAbsolutePath());
    out.println("valid-until: " + p.certificate().getNotAfter().toInstant());
    return ExitCodes.OK;
  }

  private static long days(Args a) throws CliException {
    String s = a.option("days").orElse(Long.toString(SimPlatform.DEFAULT_VALIDITY.toDays()));
    try {
      long d = Long.parseLong(s);
      if (d < 1 || d > 36500) {
        throw CliException.usage("--days must be between 1 and 36500, is " + d);
      }
      return d;
    } catch (NumberFormatException e) {
      throw CliException.usage("--days needs a whole number of days");
    }
  }
}
