package io.sconej.fileshield.nio;

import io.sconej.crypto.Hex;
import io.sconej.crypto.SecretBytes;
import io.sconej.fileshield.VolumeTag;
import io.sconej.hostcalls.PlatformProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The region table of the default file system: regions (longest prefix wins) and what happens
 * outside all of them ({@link DefaultAction}).
 *
 * <p>File form ({@link #load(Path)}, a {@code .properties} file): {@code
 * default=unprotected|refuse} and for each region number N: {@code region.N.prefix} (absolute path,
 * required), {@code region.N.kind} (encrypted|authenticated|unprotected|ephemeral, default
 * encrypted), {@code region.N.volume} (host directory of the volume), {@code region.N.key} (64 hex
 * digits) or {@code region.N.keyFile} (a file holding 64 hex digits or 32 raw bytes), {@code
 * region.N.create}, {@code region.N.readOnly} (true|false, default false), {@code
 * region.N.chunkSizeBytes}, {@code region.N.expectedTag} (hex). Unknown keys are refused, so a typo
 * cannot silently leave files unprotected.
 */
public record RegionsConfig(List<RegionConfig> regions, DefaultAction defaultAction) {

  /** What happens to paths outside every region. */
  public enum DefaultAction {
    /** Pass through to the host file system. */
    UNPROTECTED,
    /** Refuse with {@link java.nio.file.AccessDeniedException}. */
    REFUSE
  }

  private static final List<String> REGION_KEYS =
      List.of(
          "prefix",
          "kind",
          "volume",
          "key",
          "keyFile",
          "create",
          "readOnly",
          "chunkSizeBytes",
          "expectedTag");

  /** Validates: no two regions with the same prefix. */
  public RegionsConfig {
    regions = List.copyOf(regions);
    var seen = new TreeSet<Path>();
    for (RegionConfig r : regions) {
      if (!seen.add(r.prefix())) {
        throw new IllegalArgumentException("two regions with the prefix " + r.prefix());
      }
    }
  }

  /** Reads a regions file through the platform provider; errors name the file and the key. */
  public static RegionsConfig load(Path file) throws IOException {
    Path f = Hosts.platformPath(file);
    Properties p = new Properties();
    try (InputStream in = PlatformProvider.get().newInputStream(f);
        Reader r = new java.io.InputStreamReader(in, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    try {
      return parse(p, f);
    } catch (IllegalArgumentException e) {
      throw new IOException("bad sconej regions file " + f + ": " + e.getMessage(), e);
    }
  }

  private static RegionsConfig parse(Properties p, Path file) throws IOException {
    DefaultAction def = DefaultAction.UNPROTECTED;
    var numbers = new TreeSet<Integer>();
    for (String k : p.stringPropertyNames()) {
      if (k.equals("default")) {
        def = DefaultAction.valueOf(p.getProperty(k).trim().toUpperCase(Locale.ROOT));
        continue;
      }
      String[] parts = k.split("\\.", 3);
      if (parts.length != 3 || !parts[0].equals("region") || !REGION_KEYS.contains(parts[2])) {
        throw new IllegalArgumentException("unknown key '" + k + "'");
      }
      numbers.add(Integer.parseInt(parts[1]));
    }
    List<RegionConfig> regions = new ArrayList<>();
    for (int n : numbers) {
      String base = "region." + n + ".";
      String prefix = p.getProperty(base + "prefix");
      if (prefix == null) {
        throw new IllegalArgumentException("missing " + base + "prefix");
      }
      var b = RegionConfig.builder(prefix.trim());
      String kind = p.getProperty(base + "kind");
      if (kind != null) {
        b.kind(RegionKind.parse(kind));
      }
      String volume = p.getProperty(base + "volume");
      if (volume != null) {
        b.volumeDirectory(Path.of(volume.trim()));
      }
      String hex = p.getProperty(base + "key");
      String keyFile = p.getProperty(base + "keyFile");
      if (hex != null && keyFile != null) {
        throw new IllegalArgumentException("both " + base + "key and " + base + "keyFile");
      }
      if (hex != null) {
        b.key(SecretBytes.copyOf(Hex.decode(hex.trim(), base + "key")));
      } else if (keyFile != null) {
        b.key(readKeyFile(file.resolveSibling(keyFile.trim()), base + "keyFile"));
      }
      String v;
      if ((v = p.getProperty(base + "create")) != null) {
        b.create(bool(v, base + "create"));
      }
      if ((v = p.getProperty(base + "readOnly")) != null) {
        b.readOnly(bool(v, base + "readOnly"));
      }
      if ((v = p.getProperty(base + "chunkSizeBytes")) != null) {
        b.chunkSizeBytes(Integer.parseInt(v.trim()));
      }
      if ((v = p.getProperty(base + "expectedTag")) != null) {
        b.expectedTag(VolumeTag.parse(v.trim()));
      }
      regions.add(b.build());
    }
    return new RegionsConfig(regions, def);
  }

  private static boolean bool(String v, String key) {
    String s = v.trim();
    if (!s.equalsIgnoreCase("true") && !s.equalsIgnoreCase("false")) {
      throw new IllegalArgumentException(key + " must be true or false");
    }
    return Boolean.parseBoolean(s);
  }

  /** 64 hex digits (surrounding white space allowed) or exactly 32 raw bytes. */
  private static SecretBytes readKeyFile(Path keyFile, String what) throws IOException {
    byte[] raw;
    try (InputStream in = PlatformProvider.get().newInputStream(keyFile)) {
      raw = in.readNBytes(200);
    }
    try {
      String text = new String(raw, StandardCharsets.US_ASCII).trim();
      if (text.length() == 64 && text.matches("[0-9a-fA-F]+")) {
        return SecretBytes.copyOf(Hex.decode(text, what));
      }
      if (raw.length == 32) {
        return SecretBytes.copyOf(raw);
      }
      throw new IllegalArgumentException(
          what + " " + keyFile + " holds neither 64 hex digits nor 32 raw bytes");
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }
}
