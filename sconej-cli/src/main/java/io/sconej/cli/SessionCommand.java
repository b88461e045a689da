package io.sconej.cli;

import io.sconej.cas.client.CasConnection;
import io.sconej.cas.client.Pem;
import io.sconej.cas.client.SelfSignedCert;
import io.sconej.crypto.json.Json;
import io.sconej.crypto.json.JsonException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sconej session}: owners manage CAS sessions.
 *
 * <pre>
 * sconej session identity --out owner.pem [--days N]        new owner key + certificate (0600)
 * sconej session create  --file P.yaml  CAS-OPTIONS         create; prints name, version, hash
 * sconej session update [NAME] --file P.yaml CAS-OPTIONS    update (the file names the predecessor)
 * sconej session show NAME CAS-OPTIONS                      current version, policy, secret names
 * sconej session history NAME CAS-OPTIONS                   every version, oldest first; then
 *                                                           owners' volume events, oldest first
 * CAS-OPTIONS = --cas https://HOST:PORT --cas-ca CA.pem --identity owner.pem
 * </pre>
 *
 * Exit codes: 2 bad input (also a policy the CAS refuses as malformed or stale, 400/409/413/415), 4
 * unreachable CAS or refusal (no such session or no access, 403/404), 1 anything else.
 */
@Command(
    name = "session",
    description = "Create, show, update and list the history of CAS sessions; make an owner"
        + " identity.",
    subcommands = {
      SessionCommand.Identity.class,
      SessionCommand.Create.class,
      SessionCommand.Update.class,
      SessionCommand.Show.class,
      SessionCommand.History.class
    })
final class SessionCommand extends CliCommand {
  /** {@code --cas URL --cas-ca CA.pem --identity owner.pem}: where the CAS is, and who asks. */
  static final class Remote {
    @Option(names = "--cas", required = true, paramLabel = "URL",
        description = "https://HOST[:PORT] (port 8443 if omitted) or HOST:PORT.")
    String cas;

    @Option(names = "--cas-ca", required = true, paramLabel = "CA.pem",
        description = "The CAS certificate to pin (a regular file, at most 64 KiB).")
    Path casCa;

    @Option(names = "--identity", required = true, paramLabel = "owner.pem",
        description = "The owner's key and certificate (sconej session identity).")
    Path identity;

    /** Sends one request as the owner and checks the answer (2xx, else exit 2 or 4). */
    Map<String, Object> send(String method, String path, String type, byte[] body)
        throws CliException {
      CasOptions o = CasOptions.parse(cas, casCa);
      var id = CasOptions.identity(identity);
      try (CasConnection c = o.connect(Optional.of(id))) {
        return check(c.request(method, path, type, body));
      } catch (IOException e) {
        throw CasOptions.failure(e);
      }
    }
  }

  @Command(name = "create", description = "Create a session; prints its name, version and hash.")
  static final class Create extends CliCommand implements Callable<Integer> {
    @Option(names = "--file", required = true, paramLabel = "P.yaml",
        description = "The policy (a regular file, at most 1 MiB).")
    Path file;

    @Mixin Remote remote;

    @Override
    public Integer call() throws CliException {
      printSummary("created", remote.send("POST", "/v1/sessions", "application/yaml", yaml(file)),
          out());
      return ExitCodes.OK;
    }
  }

  @Command(name = "update", description = "Update a session (the file names the predecessor);"
      + " NAME defaults to the policy's top-level name.")
  static final class Update extends CliCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "NAME")
    String name;

    @Option(names = "--file", required = true, paramLabel = "P.yaml",
        description = "The policy (a regular file, at most 1 MiB).")
    Path file;

    @Mixin Remote remote;

    @Override
    public Integer call() throws CliException {
      byte[] body = yaml(file);
      String n = name != null ? name : nameIn(body);
      printSummary("updated",
          remote.send("PUT", "/v1/sessions/" + n, "application/yaml", body), out());
      return ExitCodes.OK;
    }
  }

  @Command(name = "show", description = "Current version, policy and secret names (no values).")
  static final class Show extends CliCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME")
    String name;

    @Mixin Remote remote;

    @Override
    public Integer call() throws CliException {
      show(remote.send("GET", "/v1/sessions/" + name, "", new byte[0]), out());
      return ExitCodes.OK;
    }
  }

  @Command(name = "history", description = "Every version of a session, oldest first.")
  static final class History extends CliCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME")
    String name;

    @Mixin Remote remote;

    @Override
    public Integer call() throws CliException {
      history(remote.send("GET", "/v1/session-history/" + name, "", new byte[0]), out());
      return ExitCodes.OK;
    }
  }

  @Command(name = "identity", description = "Make a new owner key and certificate (mode 0600,"
      + " never overwritten); prints its path and fingerprint.")
  static final class Identity extends CliCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "FILE")
    Path file;

    @Option(names = "--days", paramLabel = "N", defaultValue = "365",
        description = "Validity, 1 to 36500 days; default ${DEFAULT-VALUE}.")
    long days;

    @Override
    public Integer call() throws CliException {
      return identity(file, days, out());
    }
  }

  /** The top-level {@code name:} of a policy (the CAS validates the document itself). */
  private static String nameIn(byte[] yaml) throws CliException {
    var m =
        java.util.regex.Pattern.compile("(?m)^name:\\s*[\"']?([a-z0-9_./-]+)[\"']?\\s*$")
            .matcher(new String(yaml, StandardCharsets.UTF_8));
    if (!m.find()) {
      throw CliException.usage("no top-level 'name:' in the policy; give the session NAME");
    }
    return m.group(1);
  }

  private static byte[] yaml(Path file) throws CliException {
    return CliFiles.read(file, "policy file", CliFiles.POLICY_MAX_BYTES);
  }

  private static Map<String, Object> check(CasConnection.Response r) throws CliException {
    Map<String, Object> m;
    try {
      m = r.json();
    } catch (JsonException e) {
      throw CliException.peer("the CAS answered " + r.status() + " with an unreadable body");
    }
    if (r.status() == 200 || r.status() == 201) {
      return m;
    }
    String msg = "CAS refused (" + r.status() + "): " + m.getOrDefault("error", "");
    throw switch (r.status()) {
      case 400, 409, 413, 415 -> CliException.usage(msg);
      default -> CliException.peer(msg);
    };
  }

  private static void printSummary(String what, Map<String, Object> m, PrintStream out)
      throws CliException {
    try {
      out.println(
          what + " session " + Json.string(m, "name") + " version " + Json.integer(m, "version"));
      out.println("hash: " + Json.string(m, "hash"));
    } catch (JsonException e) {
      throw CliException.peer("unexpected CAS answer: " + e.getMessage());
    }
  }

  private static void show(Map<String, Object> m, PrintStream out) throws CliException {
    try {
      out.println("name: " + Json.string(m, "name"));
      out.println("version: " + Json.integer(m, "version"));
      out.println("hash: " + Json.string(m, "hash"));
      out.println("predecessor: " + Json.optString(m, "predecessor").orElse("(none)"));
      out.println("creator: " + Json.string(m, "creator"));
      for (Object o : Json.array(m, "secrets")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> s = (Map<String, Object>) o;
        out.println(
            "secret: "
                + Json.string(s, "name")
                + " ("
                + Json.string(s, "kind")
                + ", value held by the CAS)");
      }
      out.println("--- policy");
      out.print(Json.string(m, "policy"));
    } catch (JsonException e) {
      throw CliException.peer("unexpected CAS answer: " + e.getMessage());
    }
  }

  private static void history(Map<String, Object> m, PrintStream out) throws CliException {
    try {
      for (Object o : Json.array(m, "versions")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> v = (Map<String, Object>) o;
        out.println(
            "version "
                + Json.integer(v, "version")
                + " hash "
                + Json.string(v, "hash")
                + " predecessor "
                + Json.optString(v, "predecessor").orElse("-")
                + " at "
                + java.time.Instant.ofEpochMilli(Json.integer(v, "created_at_ms")));
      }
      for (Object o : m.containsKey("volume_events") ? Json.array(m, "volume_events") : List.of()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> e = (Map<String, Object>) o;
        out.println(
            "volume "
                + Json.string(e, "service")
                + "/"
                + Json.string(e, "volume")
                + " "
                + Json.string(e, "event")
                + " "
                + Json.string(e, "operation")
                + " by "
                + Json.string(e, "by")
                + " at "
                + java.time.Instant.ofEpochMilli(Json.integer(e, "at_ms"))
                + " old "
                + Json.optString(e, "old").orElse("-")
                + " new "
                + Json.optString(e, "new").orElse("-"));
      }
    } catch (JsonException e) {
      throw CliException.peer("unexpected CAS answer: " + e.getMessage());
    }
  }

  private static int identity(Path file, long days, PrintStream out) throws CliException {
    if (days < 1 || days > 36500) {
      throw CliException.usage("--days must be between 1 and 36500");
    }
    try {
      KeyPair k = SelfSignedCert.newEcKeyPair();
      X509Certificate c = SelfSignedCert.create(k, "sconej owner", Duration.ofDays(days));
      String pem =
          Pem.encode("PRIVATE KEY", k.getPrivate().getEncoded())
              + Pem.encode("CERTIFICATE", c.getEncoded());
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, pem);
      out.println("identity: " + file.toAbsolutePath());
      out.println("fingerprint: " + Pem.fingerprint(c));
      return ExitCodes.OK;
    } catch (FileAlreadyExistsException e) {
      throw CliException.usage("refusing to overwrite " + file);
    } catch (java.nio.file.NoSuchFileException e) {
      throw CliException.usage("--out " + file + ": the directory does not exist");
    } catch (IOException e) {
      throw new CliException(ExitCodes.OTHER, file + ": " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new CliException(ExitCodes.OTHER, "cannot create the identity: " + e.getMessage());
    }
  }
}
