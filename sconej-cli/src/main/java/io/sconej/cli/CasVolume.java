package io.sconej.cli;

import io.sconej.cas.client.CasConnection;
import io.sconej.crypto.Hex;
import io.sconej.crypto.SecretBytes;
import io.sconej.crypto.json.Json;
import io.sconej.crypto.json.JsonException;
import io.sconej.fileshield.CommitListener;
import io.sconej.fileshield.VolumeTag;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A CAS-managed volume as an owner's tool reaches it ({@code --cas-volume SESSION/SERVICE/VOLUME}
 * with {@code --cas}, {@code --cas-ca} and {@code --identity}; docs/cli.md, "Owner operations on
 * CAS-managed volumes"). The CAS releases the volume key and its tags over the owner's
 * authenticated TLS channel for one named operation; the key lives only in this process's memory
 * ({@link SecretBytes}, destroyed after the volume is opened), never in a file or a message. The
 * tool's commits go through the two-phase tag protocol as the owner ({@link #commitListener}), so
 * the application's next start accepts them.
 */
final class CasVolume {
  private CasOptions cas;
  private CasConnection.ClientIdentity identity;
  private final String session;
  private final String service;
  private final String volume;
  private final String operation;

  private CasVolume(String id, String operation) throws CliException {
    int b = id.lastIndexOf('/');
    int a = b <= 0 ? -1 : id.lastIndexOf('/', b - 1);
    if (a <= 0 || b == id.length() - 1) {
      throw CliException.usage("--cas-volume needs SESSION/SERVICE/VOLUME, got '" + id + "'");
    }
    this.session = id.substring(0, a);
    this.service = id.substring(a + 1, b);
    this.volume = id.substring(b + 1);
    this.operation = operation;
  }

  /**
   * What the CAS released for one operation: the key (caller destroys it) and the tags a fresh
   * copy of the volume may have.
   */
  record Released(SecretBytes key, String kind, Optional<String> committed,
      Optional<String> pending) {
    /** The committed and pending tags, the states the application would accept. */
    Set<VolumeTag> expected() {
      Set<VolumeTag> s = new LinkedHashSet<>();
      committed.ifPresent(t -> s.add(VolumeTag.parse(t)));
      pending.ifPresent(t -> s.add(VolumeTag.parse(t)));
      return s;
    }

    /** "committed X, pending Y" for messages. */
    String describe() {
      return "the CAS holds committed " + committed.orElse("(none)") + ", pending "
          + pending.orElse("(none)");
    }
  }

  /** Checks the options of a CAS-managed volume for {@code operation}. */
  static CasVolume of(FsCommand.KeyOptions o, String operation) throws CliException {
    if (o.keyFile != null || o.tag != null) {
      throw CliException.usage("--key-file and --tag are for volumes without a CAS; with"
          + " --cas-volume the CAS holds the key and the tags");
    }
    if (o.identity == null) {
      throw CliException.usage("option --identity is required with --cas-volume");
    }
    CasVolume v = new CasVolume(o.casVolume, operation);
    v.cas = CasOptions.parse(o.cas, o.casCa);
    v.identity = CasOptions.identity(o.identity);
    return v;
  }

  /** "SESSION/SERVICE/VOLUME". */
  String name() {
    return session + "/" + service + "/" + volume;
  }

  /** Asks the CAS for the key and tags (a history event at the CAS). */
  Released release() throws CliException {
    Map<String, Object> m = post("key", Map.of("operation", operation));
    try {
      byte[] k = Hex.decode(Json.string(m, "key"), "volume key");
      try {
        if (k.length != 32) {
          throw CliException.peer("the CAS released a volume key of " + k.length + " bytes");
        }
        return new Released(SecretBytes.copyOf(k), Json.string(m, "kind"), tag(m, "committed"),
            tag(m, "pending"));
      } finally {
        Arrays.fill(k, (byte) 0);
      }
    } catch (JsonException | IllegalArgumentException e) {
      throw CliException.peer("unexpected CAS answer: " + e.getMessage());
    }
  }

  /** Records at the CAS that a copy of the state {@code tag} was taken. */
  void recordBackup(VolumeTag tag) throws CliException {
    post("backup", Map.of("tag", tag.hex()));
  }

  /** Owner-approved reset, phase one: {@code tag} becomes the pending tag (history event). */
  void approveReset(VolumeTag tag) throws CliException {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("phase", "pending");
    b.put("tag", tag.hex());
    b.put("operation", operation);
    b.put("approve_reset", tag.hex());
    post("tag", b);
  }

  /**
   * The first state of a volume the CAS holds no tag for (the tool created it): reported pending
   * with no previous state, then committed once durable.
   */
  void announceCreated(VolumeTag tag) throws CliException {
    post("tag", Map.of("phase", "pending", "tag", tag.hex(), "operation", operation));
    commit(tag);
  }

  /** Phase two of a change: {@code tag} is durable on disk. */
  void commit(VolumeTag tag) throws CliException {
    post("tag", Map.of("phase", "commit", "tag", tag.hex(), "operation", operation));
  }

  /** Reports the tool's commits to the CAS as the owner, before and after they are durable. */
  CommitListener commitListener() {
    return new CommitListener() {
      @Override
      public void beforeCommit(VolumeTag previous, VolumeTag next) throws IOException {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("phase", "pending");
        b.put("tag", next.hex());
        b.put("operation", operation);
        b.put("previous", previous.hex());
        unchecked(() -> post("tag", b));
      }

      @Override
      public void afterCommit(VolumeTag tag) throws IOException {
        unchecked(() -> commit(tag));
      }
    };
  }

  /** A CAS refusal inside a volume commit, carried as an IOException (exit 4). */
  static final class RefusedException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient CliException cli;

    RefusedException(CliException cli) {
      super(cli.getMessage());
      this.cli = cli;
    }

    CliException cli() {
      return cli;
    }
  }

  private interface CasCall {
    void call() throws CliException;
  }

  private static void unchecked(CasCall c) throws RefusedException {
    try {
      c.call();
    } catch (CliException e) {
      throw new RefusedException(e);
    }
  }

  private static Optional<String> tag(Map<String, Object> m, String f) throws JsonException {
    return Json.optString(m, f);
  }

  private Map<String, Object> post(String action, Map<String, Object> body) throws CliException {
    String path = "/v1/volumes/" + name() + "/" + action;
    try (CasConnection c = cas.connect(Optional.of(identity))) {
      CasConnection.Response r = c.request("POST", path, "application/json",
          Json.write(body).getBytes(StandardCharsets.UTF_8));
      Map<String, Object> m;
      try {
        m = r.json();
      } catch (JsonException e) {
        throw CliException.peer("the CAS answered " + r.status() + " with an unreadable body");
      } finally {
        Arrays.fill(r.body(), (byte) 0); // the key's hex, for a key release
      }
      if (r.status() == 200) {
        return m;
      }
      String msg = "CAS refused " + action + " of volume " + name() + " (" + r.status() + "): "
          + m.getOrDefault("error", "");
      throw r.status() == 400 ? CliException.usage(msg) : CliException.peer(msg);
    } catch (IOException e) {
      throw CasOptions.failure(e);
    }
  }
}
