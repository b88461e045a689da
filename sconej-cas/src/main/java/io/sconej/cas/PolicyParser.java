package io.sconej.cas;

import io.sconej.cas.PolicyYaml.Field;
import io.sconej.cas.client.ProcessConfig;
import io.sconej.cas.client.ServiceConfig;
import io.sconej.hostcalls.HostCallConfig;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses and strictly validates session policies (docs/policy.md). Every refusal is a 400 {@link
 * CasException} naming the field path and line; unknown fields, wrong types, bad names, unknown
 * modes, kinds or tolerations and references to undefined secrets are refused.
 */
final class PolicyParser {
  static final Pattern SESSION_NAME =
      Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}(/[a-z0-9][a-z0-9_.-]{0,62}){0,3}");
  static final Pattern ITEM_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");
  private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\$\\$SCONEJ::([A-Za-z0-9_-]+)(:key)?\\$\\$");
  private static final Set<String> TOP =
      Set.of("name", "version", "predecessor", "services", "secrets", "access_policy", "security");
  private static final Set<String> SERVICE =
      Set.of(
          "name",
          "attestation",
          "command",
          "environment",
          "host_environment",
          "files",
          "volumes",
          "ethreads",
          "hostcalls",
          "default_region",
          "console",
          "working_dir",
          "locale",
          "tmp_dir");
  private static final Set<String> VOLUME = Set.of("name", "path", "kind", "on_violation");
  private static final Set<String> SECRET = Set.of("name", "kind", "length", "common_name", "dns");
  private static final Set<String> ACCESS = Set.of("read", "update");
  private static final Set<String> SECURITY = Set.of("tolerate");
  private static final Set<String> TOLERATIONS = Set.of("simulation", "debug", "outdated-tcb");

  private PolicyParser() {}

  /** Parses a policy document being uploaded: every rule of docs/policy.md applies. */
  static SessionPolicy parse(String yaml) {
    return parse(yaml, true, Integer.MAX_VALUE);
  }

  /**
   * Parses an uploaded policy that may specify at most {@code maxSecrets} secrets; the first one
   * over the limit is refused naming its line ({@code CasConfig.maxSecretsPerSession}).
   */
  static SessionPolicy parse(String yaml, int maxSecrets) {
    return parse(yaml, true, maxSecrets);
  }

  /**
   * Parses a stored policy (at start), which was accepted under the rules of its time: the rules
   * added since for uploads only (attestation sections that could never attest, x509 names) are not
   * applied, so that a store written by an earlier version still opens.
   */
  static SessionPolicy parseStored(String yaml) {
    return parse(yaml, false, Integer.MAX_VALUE);
  }

  private static SessionPolicy parse(String yaml, boolean upload, int maxSecrets) {
    Field root = PolicyYaml.parse(yaml);
    Map<String, Field> top = root.map(TOP);
    String name = required(root, top, "name").string();
    if (!SESSION_NAME.matcher(name).matches()) {
      throw top.get("name")
          .error("session names are lower-case segments [a-z0-9_.-] joined by '/'");
    }
    long version = required(root, top, "version").integer(1, Long.MAX_VALUE);
    Optional<String> predecessor = Optional.empty();
    if (top.containsKey("predecessor") && !top.get("predecessor").isNull()) {
      String p = top.get("predecessor").string();
      if (!FINGERPRINT.matcher(p).matches()) {
        throw top.get("predecessor")
            .error("expected the 64 hex digit hash of the previous version");
      }
      predecessor = Optional.of(p);
    }
    Map<String, SessionPolicy.SecretSpec> secrets = new LinkedHashMap<>();
    if (top.containsKey("secrets")) {
      for (Field f : top.get("secrets").list()) {
        if (secrets.size() == maxSecrets) {
          throw f.error(
              "at most " + maxSecrets + " secrets per session (CasConfig.maxSecretsPerSession)");
        }
        SessionPolicy.SecretSpec s = secret(f, upload);
        if (secrets.put(s.name(), s) != null) {
          throw f.error("secret '" + s.name() + "' defined twice");
        }
      }
    }
    Set<String> tolerate = Set.of();
    if (top.containsKey("security")) {
      Field t = top.get("security").map(SECURITY).get("tolerate");
      tolerate = t == null ? Set.of() : allOf(t, TOLERATIONS);
    }
    Map<String, SessionPolicy.Service> services = new LinkedHashMap<>();
    for (Field f : required(root, top, "services").list()) {
      SessionPolicy.Service s = service(f, secrets, tolerate, upload);
      if (services.put(s.name(), s) != null) {
        throw f.error("service '" + s.name() + "' defined twice");
      }
    }
    if (services.isEmpty()) {
      throw top.get("services").error("at least one service is required");
    }
    Set<String> readers = Set.of();
    Set<String> updaters = Set.of();
    if (top.containsKey("access_policy")) {
      Map<String, Field> ap = top.get("access_policy").map(ACCESS);
      readers = fingerprints(ap.get("read"));
      updaters = fingerprints(ap.get("update"));
    }
    return new SessionPolicy(
        name, version, predecessor, services, secrets, readers, updaters, tolerate);
  }

  private static SessionPolicy.Service service(
      Field f,
      Map<String, SessionPolicy.SecretSpec> secrets,
      Set<String> tolerate,
      boolean upload) {
    Map<String, Field> m = f.map(SERVICE);
    String name = itemName(required(f, m, "name"));
    PolicyAttestation att =
        PolicyAttestation.parse(required(f, m, "attestation"), tolerate, upload);
    List<String> command = m.containsKey("command") ? m.get("command").strings() : List.of();
    Map<String, String> env =
        m.containsKey("environment") ? m.get("environment").stringMap() : Map.of();
    List<String> hostEnv = new java.util.ArrayList<>();
    if (m.containsKey("host_environment")) {
      for (Field hf : m.get("host_environment").list()) {
        String n = hf.string();
        if (!ServiceConfig.ENV_NAME.matcher(n).matches()) {
          throw hf.error("not an environment variable name: '" + n + "'");
        }
        if (hostEnv.contains(n)) {
          throw hf.error("'" + n + "' listed twice");
        }
        if (env.containsKey(n)) {
          throw hf.error("'" + n + "' is also set by the session's environment: pick one");
        }
        hostEnv.add(n);
      }
    }
    Map<String, String> files = m.containsKey("files") ? m.get("files").stringMap() : Map.of();
    for (String c : command) {
      placeholders(m.get("command"), c, secrets);
    }
    for (String v : env.values()) {
      placeholders(m.get("environment"), v, secrets);
    }
    for (var e : files.entrySet()) {
      if (!e.getKey().startsWith("/")) {
        throw m.get("files").error("file paths must be absolute: '" + e.getKey() + "'");
      }
      placeholders(m.get("files"), e.getValue(), secrets);
    }
    List<SessionPolicy.Volume> volumes = new java.util.ArrayList<>();
    if (m.containsKey("volumes")) {
      Set<String> seen = new java.util.HashSet<>();
      for (Field vf : m.get("volumes").list()) {
        Map<String, Field> v = vf.map(VOLUME);
        String vn = itemName(required(vf, v, "name"));
        String path = required(vf, v, "path").string();
        if (!path.startsWith("/")) {
          throw v.get("path").error("volume paths must be absolute");
        }
        String kind = oneOf(required(vf, v, "kind"), Set.of("encrypted", "authenticated"));
        if (!seen.add(vn)) {
          throw vf.error("volume '" + vn + "' defined twice");
        }
        String onViolation = v.containsKey("on_violation")
            ? oneOf(v.get("on_violation"), Set.of("abort", "error")) : "abort";
        volumes.add(new SessionPolicy.Volume(vn, path, kind, onViolation));
      }
    }
    int ethreads = m.containsKey("ethreads") ? (int) m.get("ethreads").integer(0, 1024) : 0;
    Map<String, String> hostCalls =
        m.containsKey("hostcalls") ? hostCalls(m.get("hostcalls")) : Map.of();
    String defaultRegion =
        m.containsKey("default_region")
            ? oneOf(m.get("default_region"), Set.of("unprotected", "refuse"))
            : "unprotected";
    String console =
        m.containsKey("console")
            ? oneOf(m.get("console"), Set.of("protected", "unprotected"))
            : "protected";
    return new SessionPolicy.Service(
        name,
        att.measurements(),
        att.signers(),
        att.modes(),
        command,
        env,
        hostEnv,
        files,
        volumes,
        ethreads,
        hostCalls,
        defaultRegion,
        console,
        att.constraint(),
        process(m, volumes));
  }

  /**
   * A service's {@code working_dir}, {@code locale} and {@code tmp_dir} ({@link ProcessConfig}'s
   * checks); a {@code tmp_dir} must lie in one of the service's {@code encrypted} volumes.
   */
  private static ProcessConfig process(Map<String, Field> m, List<SessionPolicy.Volume> volumes) {
    Optional<String> workingDir = Optional.empty();
    if (m.containsKey("working_dir")) {
      workingDir = Optional.of(path(m.get("working_dir")));
    }
    Optional<String> locale = Optional.empty();
    if (m.containsKey("locale")) {
      String tag = m.get("locale").string();
      String problem = ProcessConfig.localeProblem(tag);
      if (!problem.isEmpty()) {
        throw m.get("locale").error("'" + tag + "' " + problem);
      }
      locale = Optional.of(tag);
    }
    Optional<String> tmpDir = Optional.empty();
    if (m.containsKey("tmp_dir")) {
      Field f = m.get("tmp_dir");
      String dir = path(f);
      Optional<String> holder = ProcessConfig.volumeHolding(dir,
          volumes.stream().map(SessionPolicy.Volume::path).toList());
      Optional<SessionPolicy.Volume> volume = volumes.stream()
          .filter(v -> holder.isPresent() && v.path().equals(holder.get())).findFirst();
      if (volume.isEmpty()) {
        throw f.error("'" + dir + "' is in no volume of this service: temporary files must go"
            + " into an encrypted volume (they would be plaintext on the host)");
      }
      if (!volume.get().kind().equals("encrypted")) {
        throw f.error("'" + dir + "' is in volume '" + volume.get().name() + "', which is "
            + volume.get().kind() + ": temporary files must go into an encrypted volume");
      }
      tmpDir = Optional.of(dir);
    }
    return new ProcessConfig(workingDir, locale, tmpDir);
  }

  /** An absolute, normalised directory path ({@link ProcessConfig#pathProblem}). */
  private static String path(Field f) {
    String p = f.string();
    String problem = ProcessConfig.pathProblem(p);
    if (!problem.isEmpty()) {
      throw f.error("'" + p + "' " + problem);
    }
    return p;
  }

  /**
   * A service's {@code hostcalls} map: only {@link ServiceConfig#HOST_CALL_KEYS}, each value
   * checked by {@link HostCallConfig} itself, so the CAS accepts exactly what the runtime will.
   */
  private static Map<String, String> hostCalls(Field f) {
    Map<String, String> out = new LinkedHashMap<>();
    for (var e : f.map(ServiceConfig.HOST_CALL_KEYS).entrySet()) {
      String key = e.getKey();
      Field v = e.getValue();
      String value =
          key.equals("mode")
              ? oneOf(v, Set.of("sync", "async"))
              : Long.toString(v.integer(0, Long.MAX_VALUE));
      try {
        HostCallConfig.defaults().with(Map.of(HostCallConfig.PREFIX + key, value));
      } catch (IllegalArgumentException | ArithmeticException ex) {
        String msg = String.valueOf(ex.getMessage());
        String named = HostCallConfig.PREFIX + key + ": ";
        throw v.error(msg.startsWith(named) ? msg.substring(named.length()) : msg);
      }
      out.put(key, value);
    }
    return out;
  }

  private static SessionPolicy.SecretSpec secret(Field f, boolean upload) {
    Map<String, Field> m = f.map(SECRET);
    String name = itemName(required(f, m, "name"));
    String kind = oneOf(required(f, m, "kind"), Set.of("ascii", "binary", "ec", "x509"));
    int length = 0;
    if (m.containsKey("length")) {
      if (!kind.equals("ascii") && !kind.equals("binary")) {
        throw m.get("length").error("only ascii and binary secrets have a length");
      }
      length = (int) m.get("length").integer(8, 4096);
    } else if (kind.equals("ascii") || kind.equals("binary")) {
      length = 32;
    }
    String cn = name;
    List<String> dns = List.of();
    if (m.containsKey("common_name") || m.containsKey("dns")) {
      if (!kind.equals("x509")) {
        throw f.error("common_name and dns are only for x509 secrets");
      }
      cn = m.containsKey("common_name") ? m.get("common_name").string() : name;
      dns = m.containsKey("dns") ? m.get("dns").strings() : List.of();
      if (upload) {
        x509Names(m, cn, dns);
      }
    }
    return new SessionPolicy.SecretSpec(name, kind, length, cn, dns);
  }

  /** Refuses names that the certificate of an x509 secret could not carry ({@link X509Names}). */
  private static void x509Names(Map<String, Field> m, String cn, List<String> dns) {
    String problem = X509Names.commonNameProblem(cn);
    if (!problem.isEmpty()) {
      throw m.get("common_name").error(problem);
    }
    if (dns.size() > X509Names.MAX_ALT_NAMES) {
      throw m.get("dns").error("at most " + X509Names.MAX_ALT_NAMES + " names");
    }
    List<Field> entries = m.get("dns").list();
    for (int i = 0; i < dns.size(); i++) {
      problem = X509Names.altNameProblem(dns.get(i));
      if (!problem.isEmpty()) {
        throw entries.get(i).error(problem);
      }
      if (dns.subList(0, i).contains(dns.get(i))) {
        throw entries.get(i).error("'" + dns.get(i) + "' listed twice");
      }
    }
  }

  private static void placeholders(
      Field where, String value, Map<String, SessionPolicy.SecretSpec> secrets) {
    var matcher = PLACEHOLDER.matcher(value);
    while (matcher.find()) {
      SessionPolicy.SecretSpec s = secrets.get(matcher.group(1));
      if (s == null) {
        throw where.error("placeholder names undefined secret '" + matcher.group(1) + "'");
      }
      if (matcher.group(2) != null && !(s.kind().equals("ec") || s.kind().equals("x509"))) {
        throw where.error("secret '" + s.name() + "' has no key (only ec and x509 do)");
      }
    }
  }

  private static Field required(Field parent, Map<String, Field> m, String key) {
    Field f = m.get(key);
    if (f == null) {
      String p = parent.path().isEmpty() ? key : parent.path() + "." + key;
      throw new Field(p, parent.node()).error("is required");
    }
    return f;
  }

  private static String itemName(Field f) {
    String n = f.string();
    if (!ITEM_NAME.matcher(n).matches()) {
      throw f.error("names are [A-Za-z0-9_-], at most 63 characters");
    }
    return n;
  }

  private static String oneOf(Field f, Set<String> allowed) {
    String s = f.string().toLowerCase(Locale.ROOT);
    if (!allowed.contains(s)) {
      throw f.error("expected one of " + String.join(", ", allowed.stream().sorted().toList()));
    }
    return s;
  }

  private static Set<String> allOf(Field list, Set<String> allowed) {
    Set<String> out = new LinkedHashSet<>();
    for (Field f : list.list()) {
      out.add(oneOf(f, allowed));
    }
    return out;
  }

  private static Set<String> fingerprints(Field f) {
    Set<String> out = new LinkedHashSet<>();
    if (f == null) {
      return out;
    }
    for (Field h : f.list()) {
      String s = h.string().toLowerCase(Locale.ROOT);
      if (!FINGERPRINT.matcher(s).matches()) {
        throw h.error("expected a certificate fingerprint (64 hex digits of SHA-256)");
      }
      out.add(s);
    }
    return out;
  }
}
