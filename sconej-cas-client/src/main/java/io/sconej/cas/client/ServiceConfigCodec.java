package io.sconej.cas.client;

import io.sconej.crypto.InsecureSecretAccess;
import io.sconej.crypto.SecretBytes;
import io.sconej.crypto.json.Json;
import io.sconej.crypto.json.JsonException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The JSON wire form of {@link ServiceConfig} (documented in docs/cas-api.md), written by the CAS
 * and read by the runtime. Reading is strict: missing or mistyped fields are refused by name, and
 * {@code console_key} (hex, or null) must be a 32-byte key exactly when {@code console} is
 * protected, and {@code hostcalls} holds only {@link ServiceConfig#HOST_CALL_KEYS}, {@code mode} as
 * a string and the others as integers; {@code working_dir}, {@code locale} and {@code tmp_dir}
 * (each a string or null) pass {@link ProcessConfig}'s checks.
 */
public final class ServiceConfigCodec {
  private static final HexFormat HEX = HexFormat.of();

  private ServiceConfigCodec() {}

  /** Encodes a configuration, secrets and keys included: only for an attested channel. */
  public static Map<String, Object> toJson(ServiceConfig c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("session", c.session());
    m.put("service", c.service());
    m.put("session_hash", c.sessionHash());
    m.put("command", c.command());
    m.put("environment", new TreeMap<>(c.environment()));
    m.put("host_environment", new ArrayList<Object>(c.hostEnvironment()));
    m.put("files", new TreeMap<>(c.files()));
    List<Object> vols = new ArrayList<>();
    for (VolumeConfig v : c.volumes()) {
      Map<String, Object> vm = new LinkedHashMap<>();
      vm.put("name", v.name());
      vm.put("path", v.path());
      vm.put("kind", v.kind());
      vm.put("key", HEX.formatHex(v.key().bytes(InsecureSecretAccess.get())));
      vm.put("committed_tag", v.committedTag().<Object>map(HEX::formatHex).orElse(Json.NULL));
      vm.put("pending_tag", v.pendingTag().<Object>map(HEX::formatHex).orElse(Json.NULL));
      vm.put("on_violation", v.onViolation());
      vols.add(vm);
    }
    m.put("volumes", vols);
    Map<String, Object> secrets = new TreeMap<>();
    for (var e : c.secrets().entrySet()) {
      Map<String, Object> sm = new LinkedHashMap<>();
      sm.put("kind", e.getValue().kind());
      sm.put("value", e.getValue().value());
      e.getValue().privateKeyPem().ifPresent(k -> sm.put("private_key", k));
      secrets.put(e.getKey(), sm);
    }
    m.put("secrets", secrets);
    m.put("ethreads", (long) c.ethreads());
    Map<String, Object> hc = new TreeMap<>();
    c.hostCalls().forEach((k, v) -> hc.put(k, k.equals("mode") ? v : (Object) Long.parseLong(v)));
    m.put("hostcalls", hc);
    m.put("default_region", c.defaultRegion());
    m.put("console", c.console());
    m.put(
        "console_key",
        c.consoleKey()
            .<Object>map(k -> HEX.formatHex(k.bytes(InsecureSecretAccess.get())))
            .orElse(Json.NULL));
    m.put("working_dir", c.process().workingDir().<Object>map(x -> x).orElse(Json.NULL));
    m.put("locale", c.process().locale().<Object>map(x -> x).orElse(Json.NULL));
    m.put("tmp_dir", c.process().tmpDir().<Object>map(x -> x).orElse(Json.NULL));
    return m;
  }

  /** Decodes a configuration. */
  public static ServiceConfig fromJson(Map<String, Object> m) throws JsonException {
    List<String> command = new ArrayList<>();
    for (Object o : Json.array(m, "command")) {
      command.add(str(o, "command[]"));
    }
    List<VolumeConfig> volumes = new ArrayList<>();
    for (Object o : Json.array(m, "volumes")) {
      Map<String, Object> v = obj(o, "volumes[]");
      String onViolation = Json.string(v, "on_violation");
      if (!onViolation.equals(VolumeConfig.ABORT) && !onViolation.equals(VolumeConfig.ERROR)) {
        throw new JsonException("field 'volumes[].on_violation': expected abort or error");
      }
      volumes.add(
          new VolumeConfig(
              Json.string(v, "name"),
              Json.string(v, "path"),
              Json.string(v, "kind"),
              SecretBytes.copyOf(hex(Json.string(v, "key"), "volumes[].key")),
              optHex(v, "committed_tag"),
              optHex(v, "pending_tag"),
              onViolation));
    }
    Map<String, ReleasedSecret> secrets = new LinkedHashMap<>();
    for (var e : Json.object(m, "secrets").entrySet()) {
      Map<String, Object> s = obj(e.getValue(), "secrets." + e.getKey());
      secrets.put(
          e.getKey(),
          new ReleasedSecret(
              Json.string(s, "kind"), Json.string(s, "value"), Json.optString(s, "private_key")));
    }
    String defaultRegion = Json.string(m, "default_region");
    if (!defaultRegion.equals("unprotected") && !defaultRegion.equals("refuse")) {
      throw new JsonException("field 'default_region': expected unprotected or refuse");
    }
    String console = Json.string(m, "console");
    Optional<SecretBytes> consoleKey = optHex(m, "console_key").map(SecretBytes::copyOf);
    if (consoleKey.isPresent() != console.equals("protected")) {
      throw new JsonException(
          "field 'console_key': must be present exactly when 'console' is protected");
    }
    if (consoleKey.isPresent() && consoleKey.get().length() != 32) {
      throw new JsonException("field 'console_key': expected 32 bytes");
    }
    return new ServiceConfig(
        Json.string(m, "session"),
        Json.string(m, "service"),
        Json.string(m, "session_hash"),
        command,
        strings(Json.object(m, "environment"), "environment"),
        hostEnvironment(Json.array(m, "host_environment")),
        strings(Json.object(m, "files"), "files"),
        volumes,
        secrets,
        (int) Json.integer(m, "ethreads"),
        hostCalls(Json.object(m, "hostcalls")),
        defaultRegion,
        console,
        consoleKey,
        process(m));
  }

  /** {@code working_dir}, {@code locale}, {@code tmp_dir}: each a checked string or null. */
  private static ProcessConfig process(Map<String, Object> m) throws JsonException {
    Optional<String> workingDir = Json.optString(m, "working_dir");
    Optional<String> locale = Json.optString(m, "locale");
    Optional<String> tmpDir = Json.optString(m, "tmp_dir");
    for (var e : Map.of("working_dir", workingDir, "tmp_dir", tmpDir).entrySet()) {
      String problem = e.getValue().map(ProcessConfig::pathProblem).orElse("");
      if (!problem.isEmpty()) {
        throw new JsonException("field '" + e.getKey() + "': " + problem);
      }
    }
    String problem = locale.map(ProcessConfig::localeProblem).orElse("");
    if (!problem.isEmpty()) {
      throw new JsonException("field 'locale': " + problem);
    }
    return new ProcessConfig(workingDir, locale, tmpDir);
  }

  /** Names only, each a valid environment variable name, no duplicates. */
  private static List<String> hostEnvironment(List<Object> names) throws JsonException {
    List<String> out = new ArrayList<>();
    for (Object o : names) {
      String n = str(o, "host_environment[]");
      if (!ServiceConfig.ENV_NAME.matcher(n).matches() || out.contains(n)) {
        throw new JsonException("field 'host_environment': bad or repeated name '" + n + "'");
      }
      out.add(n);
    }
    return out;
  }

  private static Map<String, String> hostCalls(Map<String, Object> m) throws JsonException {
    Map<String, String> out = new LinkedHashMap<>();
    for (var e : m.entrySet()) {
      String field = "hostcalls." + e.getKey();
      if (!ServiceConfig.HOST_CALL_KEYS.contains(e.getKey())) {
        throw new JsonException("field '" + field + "': unknown host-call setting");
      }
      if (e.getKey().equals("mode")) {
        out.put("mode", str(e.getValue(), field));
      } else if (e.getValue() instanceof Long n) {
        out.put(e.getKey(), Long.toString(n));
      } else {
        throw new JsonException("field '" + field + "': expected an integer");
      }
    }
    return out;
  }

  private static Map<String, String> strings(Map<String, Object> m, String field)
      throws JsonException {
    Map<String, String> out = new LinkedHashMap<>();
    for (var e : m.entrySet()) {
      out.put(e.getKey(), str(e.getValue(), field + "." + e.getKey()));
    }
    return out;
  }

  private static Optional<byte[]> optHex(Map<String, Object> m, String field) throws JsonException {
    Optional<String> s = Json.optString(m, field);
    return s.isEmpty() ? Optional.empty() : Optional.of(hex(s.get(), field));
  }

  private static byte[] hex(String s, String field) throws JsonException {
    try {
      return HEX.parseHex(s);
    } catch (IllegalArgumentException e) {
      throw new JsonException("field '" + field + "': expected hex");
    }
  }

  private static String str(Object o, String field) throws JsonException {
    if (o instanceof String s) {
      return s;
    }
    throw new JsonException("field '" + field + "': expected a string");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> obj(Object o, String field) throws JsonException {
    if (o instanceof Map) {
      return (Map<String, Object>) o;
    }
    throw new JsonException("field '" + field + "': expected an object");
  }
}
