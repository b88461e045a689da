package io.sconej.fileshield.nio;

import io.sconej.crypto.Hex;
import io.sconej.crypto.SecretBytes;
import io.sconej.fileshield.Volume;
import io.sconej.fileshield.CommitListener;
import io.sconej.fileshield.VolumeConfig;
import io.sconej.fileshield.VolumeMode;
import io.sconej.fileshield.VolumeTag;
import io.sconej.fileshield.ViolationListener;
import io.sconej.hostcalls.HostCalls;
import io.sconej.hostcalls.PlatformProvider;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How to open one volume: the environment of {@code FileSystems.newFileSystem(URI, env)} or one
 * region of a regions table.
 *
 * <p>Keys: {@code key} (required: {@link SecretBytes} of 32 bytes or a 64-hex-digit string), {@code
 * create} (Boolean or "true"/"false", default false: create the volume if its directory is missing
 * or empty), {@code mode} ({@link VolumeMode} or "encrypted"/"authenticated", default encrypted;
 * used at creation), {@code chunkSizeBytes} (Integer or decimal string, default the volume's),
 * {@code expectedTag} ({@link VolumeTag} or hex: the freshness check at open), {@code readOnly}
 * (Boolean or string, default false).
 *
 * <p>Refuses to create a fresh volume when an {@code expectedTag} is given: a missing volume whose
 * tag is known is a rollback, not a first start.
 */
record VolumeOptions(
    SecretBytes key,
    boolean create,
    VolumeMode mode,
    Optional<Integer> chunkSizeBytes,
    Set<VolumeTag> expectedTags,
    boolean readOnly,
    CommitListener listener,
    ViolationListener violations,
    Optional<HostCalls> hostCalls) {

  static VolumeOptions parse(Map<String, ?> env) {
    Object k = env.get("key");
    SecretBytes key;
    if (k instanceof SecretBytes s) {
      key = s;
    } else if (k instanceof String hex) {
      key = SecretBytes.copyOf(Hex.decode(hex.trim(), "volume key"));
    } else {
      throw new IllegalArgumentException(
          "env 'key' is required: SecretBytes or a 64-hex-digit string");
    }
    if (key.length() != 32) {
      throw new IllegalArgumentException("volume key must be 32 bytes, got " + key.length());
    }
    Object m = env.get("mode");
    VolumeMode mode =
        m == null
            ? VolumeMode.ENCRYPTED
            : m instanceof VolumeMode vm
                ? vm
                : VolumeMode.valueOf(m.toString().trim().toUpperCase(Locale.ROOT));
    Object c = env.get("chunkSizeBytes");
    Optional<Integer> chunk =
        c == null ? Optional.empty() : Optional.of(Integer.parseInt(c.toString().trim()));
    Object t = env.get("expectedTag");
    Set<VolumeTag> tags =
        t == null
            ? Set.of()
            : Set.of(t instanceof VolumeTag vt ? vt : VolumeTag.parse(t.toString().trim()));
    return new VolumeOptions(
        key, flag(env.get("create")), mode, chunk, tags, flag(env.get("readOnly")),
        CommitListener.NONE, ViolationListener.NONE, Optional.empty());
  }

  private static boolean flag(Object o) {
    if (o == null) {
      return false;
    }
    if (o instanceof Boolean b) {
      return b;
    }
    String s = o.toString().trim();
    if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(s);
    }
    throw new IllegalArgumentException("expected true or false, got '" + s + "'");
  }

  VolumeConfig config() {
    var b = VolumeConfig.builder().mode(mode).readOnly(readOnly).commitListener(listener)
        .violationListener(violations);
    chunkSizeBytes.ifPresent(b::chunkSizeBytes);
    b.expectedTags(expectedTags);
    hostCalls.ifPresent(b::hostCalls);
    return b.build();
  }

  /** Opens the volume at {@code hostDir}, creating it first if allowed and absent. */
  Volume openOrCreate(Path hostDir) throws IOException {
    if (isMissingOrEmpty(hostDir)) {
      if (!create) {
        throw new NoSuchFileException(
            hostDir.toString(), null, "no sconej volume here (and create is not set)");
      }
      if (!expectedTags.isEmpty()) {
        throw new NoSuchFileException(
            hostDir.toString(),
            null,
            "volume missing but an expected tag is configured: refusing to create a fresh one");
      }
      return Volume.create(hostDir, key, config());
    }
    return Volume.open(hostDir, key, config());
  }

  private static boolean isMissingOrEmpty(Path hostDir) throws IOException {
    var platform = PlatformProvider.get();
    try {
      if (!platform.readAttributes(hostDir, BasicFileAttributes.class).isDirectory()) {
        return false;
      }
    } catch (NoSuchFileException e) {
      return true;
    }
    try (DirectoryStream<Path> s = platform.newDirectoryStream(hostDir, p -> true)) {
      return !s.iterator().hasNext();
    }
  }
}
