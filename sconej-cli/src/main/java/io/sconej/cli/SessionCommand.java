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
import java.util.Set;

/**
 * {@code sconej session}: owners manage CAS sessions.
 *
 * <pre>
 * sconej session identity --out owner.pem [--days N]        new owner key + certificate (0600)
 * sconej session create  --file P.yaml  CAS-OPTIONS         create; prints name, version, hash
 * sconej session update [NAME] --file P.yaml CAS-OPTIONS    update (the file names the predecessor)
 * sconej session show NAME CAS-OPTIONS                      current version, policy, secret names
 * sconej session history NAME CAS-OPTIONS                   every version, oldest first
 * CAS-OPTIONS = --cas https://HOST:PORT --cas-ca CA.pem --identity owner.pem
 * </pre>
 *
 * Exit codes: 2 bad input (also a policy the CAS refuses as malformed or stale, 400/409/413/415), 4
 * unreachable CAS or refusal (no such session or no access, 403/404), 1 anything else.
 */
final class SessionCommand implements Command {
  private static final String USAGE =
      "sconej session identity --out FILE | create --file P.yaml | update NAME --file P.yaml"
          + " | show NAME | history NAME  (with --cas URL --cas-ca CA.pem --identity owner.pem)";

  @Override
  public String summary() {
    return "create, show, update and list history of CAS sessions; make an owner identity";
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) throws CliException {
    Args a = Args.parse(args, Set.of("cas", "cas-ca", "identity", "file", "out", "days"), Set.of());
    List<String> pos = a.positionals(1, 2, USAGE);
    String verb = pos.get(0);
    if (verb.equals("identity")) {
      return identity(a, out);
    }
    CasOptions cas = CasOptions.parse(a);
    var id = CasOptions.identity(Path.of(a.required("identity")));
    try (CasConnection c = cas.connect(Optional.of(id))) {
      switch (verb) {
        case "create" -> {
          a.positionals(1, 1, "sconej session create --file P.yaml CAS-OPTIONS");
          var r = c.request("POST", "/v1/sessions", "application/yaml", yaml(a));
          printSummary("created", check(r), out);
        }
        case "update" -> {
          List<String> p = a.positionals(1, 2, "sconej session update [NAME] --file P.yaml");
          byte[] body = yaml(a);
          String name = p.size() == 2 ? p.get(1) : nameIn(body);
          var r = c.request("PUT", "/v1/sessions/" + name, "application/yaml", body);
          printSummary("updated", check(r), out);
        }
        case "show" ->
            show(check(c.request("GET", "/v1/sessions/" + name(a), "", new byte[0])), out);
        case "history" ->
            history(
                check(c.request("GET", "/v1/session-history/" + name(a), "", new byte[0])), out);
        default -> throw CliException.usage("usage: " + USAGE);
      }
    } catch (IOException e) {
      throw CasOptions.failure(e);
    }
    return ExitCodes.OK;
  }

  private static String name(Args a) throws CliException {
    return a.positionals(2, 2, "sconej session show|history NAME CAS-OPTIONS").get(1);
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

  private static byte[] yaml(Args a) throws CliException {
    return CasOptions.read(Path.of(a.required("file"))).getBytes(StandardCharsets.UTF_8);
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
    } catch (JsonException e) {
      throw CliException.peer("unexpected CAS answer: " + e.getMessage());
    }
  }

  private static int identity(Args a, PrintStream out) throws CliException {
    a.positionals(1, 1, "sconej session identity --out FILE [--days N]");
    Path file = Path.of(a.required("out"));
    long days;
    try {
      days = Long.parseLong(a.option("days").orElse("365"));
    } catch (NumberFormatException e) {
      throw CliException.usage("--days must be a number");
    }
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
    } catch (IOException e) {
      throw new CliException(ExitCodes.OTHER, file + ": " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new CliException(ExitCodes.OTHER, "cannot create the identity: " + e.getMessage());
    }
  }
}
