package io.sconej.fileshield;

import io.sconej.hostcalls.CheckedHostCalls;
import io.sconej.hostcalls.HostCalls;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The authenticated, encrypted manifest of a volume on the host: one checkpoint file {@code
 * chk-<gen>} holding the full state at generation {@code gen} and the chain hash up to it, and a
 * journal {@code jnl-<gen>} of commit records for {@code gen+1, gen+2, ...}. Each record is a
 * frame:
 *
 * <pre>
 * frame = u32be(len) || nonce[12] || AES-256-GCM(manifestKey, nonce, aad, record)   (len = 12 + |ct|)
 * aad   = "SJM1" || volumeId[16] || kind:u8 || gen:u64
 * chain_0 = SHA-256("sconej-chain-v1" || volumeId);  chain_g = SHA-256(chain_{g-1} || frame_g)
 * tag_g   = HMAC-SHA256(tagKey, "sconej-tag-v1" || volumeId || u64(g) || chain_g)
 * </pre>
 *
 * A commit costs one append plus one fdatasync, whatever the number of files. The journal is
 * preallocated with zeros in steps of {@value #PREALLOC_BYTES} bytes, so that most appends
 * overwrite allocated blocks without changing the file's size (an fdatasync then needs no file
 * system journal commit). Zeros after the last frame are the unused preallocation, not a frame.
 * The journal is folded into a new checkpoint once it outgrows the last one (and {@value
 * #CHECKPOINT_MIN_JOURNAL_BYTES} bytes), so the amortised cost stays constant.
 */
final class ManifestStore {
  private static final int MAX_FRAME = 1 << 30;
  /** Per thread: provider look-ups cost more than sealing a small frame (profiled). */
  private static final ThreadLocal<Cipher> GCM = ThreadLocal.withInitial(() -> {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM missing from the JDK", e);
    }
  });
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  });
  static final int PREALLOC_BYTES = 256 * 1024;
  static final long CHECKPOINT_MIN_JOURNAL_BYTES = 4L << 20;
  private final CheckedHostCalls host;
  private final String dir;
  private final VolumeKeys keys;
  private final byte[] volumeId;
  private final NonceSequence nonces = new NonceSequence();

  private long baseGen;
  private long journalHandle = -1;
  private long journalBytes;
  /** Size of the journal file on the host: journalBytes plus zeros (preallocation). */
  private long journalAllocated;
  private long checkpointBytes;

  ManifestStore(CheckedHostCalls host, String dir, VolumeKeys keys, byte[] volumeId) {
    this.host = host;
    this.dir = dir;
    this.keys = keys;
    this.volumeId = volumeId.clone();
  }

  /** What {@link #load} found: the checkpoint and the valid commits after it. */
  record Loaded(ManifestCodec.Record checkpoint, List<ManifestCodec.Record> commits,
      byte[] chain, long gen, boolean tornTail) {}

  static String chkName(long gen) {
    return String.format("chk-%016x", gen);
  }

  static String jnlName(long gen) {
    return String.format("jnl-%016x", gen);
  }

  byte[] initialChain() {
    return sha256("sconej-chain-v1".getBytes(StandardCharsets.US_ASCII), volumeId);
  }

  byte[] tag(long gen, byte[] chain) {
    ByteBuffer b = ByteBuffer.allocate(13 + 16 + 8 + 32);
    b.put("sconej-tag-v1".getBytes(StandardCharsets.US_ASCII)).put(volumeId).putLong(gen)
        .put(chain);
    return keys.tagMac(b.array());
  }

  private static byte[] sha256(byte[] a, byte[] b) {
    MessageDigest md = SHA256.get();
    md.reset();
    md.update(a);
    md.update(b);
    return md.digest();
  }

  private byte[] aad(int kind, long gen) {
    return ByteBuffer.allocate(4 + 16 + 1 + 8).put("SJM1".getBytes(StandardCharsets.US_ASCII))
        .put(volumeId).put((byte) kind).putLong(gen).array();
  }

  byte[] seal(ManifestCodec.Record r) {
    byte[] plain = ManifestCodec.encode(r);
    byte[] nonce = new byte[12];
    nonces.next(nonce, 0);
    try {
      Cipher c = GCM.get();
      c.init(Cipher.ENCRYPT_MODE, keys.manifestKey(), new GCMParameterSpec(128, nonce));
      c.updateAAD(aad(r.kind(), r.gen()));
      byte[] ct = c.doFinal(plain);
      return ByteBuffer.allocate(4 + 12 + ct.length).putInt(12 + ct.length).put(nonce).put(ct)
          .array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed", e);
    }
  }

  /** Decrypts one frame body; null if it does not authenticate. */
  private byte[] open(byte[] frame, int off, int len, int kind, long gen) {
    try {
      Cipher c = GCM.get();
      c.init(Cipher.DECRYPT_MODE, keys.manifestKey(), new GCMParameterSpec(128, frame, off, 12));
      c.updateAAD(aad(kind, gen));
      return c.doFinal(frame, off + 12, len - 12);
    } catch (AEADBadTagException e) {
      return null;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed", e);
    }
  }

  private byte[] readAll(String name) throws IOException {
    String p = dir + "/" + name;
    long h = host.open(p, HostCalls.READ);
    try {
      long size = host.size(h);
      if (size > MAX_FRAME * 4L) {
        throw metadata(name + " is impossibly large (" + size + " bytes)");
      }
      ByteBuffer b = ByteBuffer.allocate((int) size);
      host.readUpTo(h, b, 0);
      return java.util.Arrays.copyOf(b.array(), b.position());
    } finally {
      host.close(h);
    }
  }

  /** True if {@code b[from..]} is all zeros (or empty). */
  private static boolean zerosFrom(byte[] b, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static IntegrityViolationException metadata(String detail) {
    return new IntegrityViolationException("", -1, Violation.TAMPERED_METADATA, detail);
  }

  /** Loads the newest checkpoint and replays its journal; repairs a torn tail if writable. */
  Loaded load(boolean writable) throws IOException {
    long best = -1;
    for (String n : host.list(dir)) {
      if (n.matches("chk-[0-9a-f]{16}")) {
        best = Math.max(best, Long.parseUnsignedLong(n.substring(4), 16));
      } else if (writable && n.matches("chk-[0-9a-f]{16}\\.tmp")) {
        host.delete(dir + "/" + n);
      }
    }
    if (best < 0) {
      throw metadata("no checkpoint (chk-*) in the volume directory");
    }
    byte[] chk = readAll(chkName(best));
    checkpointBytes = chk.length;
    if (chk.length < 4 + 28 || (ByteBuffer.wrap(chk).getInt() & 0xffffffffL) != chk.length - 4) {
      throw metadata(chkName(best) + " is truncated or extended");
    }
    byte[] plain = open(chk, 4, chk.length - 4, ManifestCodec.KIND_CHECKPOINT, best);
    if (plain == null) {
      throw metadata(chkName(best) + " fails authentication");
    }
    ManifestCodec.Record checkpoint = ManifestCodec.decode(plain, ManifestCodec.KIND_CHECKPOINT,
        best);
    byte[] chain = checkpoint.chain();
    long gen = best;
    List<ManifestCodec.Record> commits = new ArrayList<>();
    baseGen = best;
    boolean torn = false;
    String jn = jnlName(best);
    if (host.stat(dir + "/" + jn).exists()) {
      byte[] j = readAll(jn);
      int off = 0;
      while (off < j.length) {
        long len = j.length - off >= 4 ? ByteBuffer.wrap(j, off, 4).getInt() & 0xffffffffL : -1;
        if (len == 0 && zerosFrom(j, off)) {
          break; // the unused preallocation
        }
        if (len < 0 || len < 28 || len > j.length - off - 4) {
          torn = true; // an incomplete last frame: a crash during append
          break;
        }
        byte[] p = open(j, off + 4, (int) len, ManifestCodec.KIND_COMMIT, gen + 1);
        int end = off + 4 + (int) len;
        if (p == null) {
          if (zerosFrom(j, end)) {
            torn = true; // the last frame, written partly before a crash
            break;
          }
          throw metadata(jn + " record for generation " + (gen + 1) + " fails authentication");
        }
        commits.add(ManifestCodec.decode(p, ManifestCodec.KIND_COMMIT, gen + 1));
        chain = sha256(chain, java.util.Arrays.copyOfRange(j, off, end));
        gen++;
        off = end;
      }
      journalBytes = off;
      journalAllocated = j.length;
      if (writable) {
        journalHandle = host.open(dir + "/" + jn, HostCalls.READ | HostCalls.WRITE);
        if (torn) {
          host.truncate(journalHandle, off);
          host.fsync(journalHandle, true);
          journalAllocated = off;
        }
      }
    }
    return new Loaded(checkpoint, commits, chain, gen, torn);
  }

  /**
   * Appends a sealed commit frame ({@link #seal}) durably and returns the new chain hash. After an I/O failure here the
   * volume must not be used further (the caller fails closed).
   */
  byte[] append(byte[] frame, byte[] prevChain) throws IOException {
    if (journalHandle < 0) {
      journalHandle = host.open(dir + "/" + jnlName(baseGen),
          HostCalls.READ | HostCalls.WRITE | HostCalls.CREATE);
      journalBytes = host.size(journalHandle);
      journalAllocated = journalBytes;
      host.fsyncDir(dir);
    }
    ByteBuffer b = ByteBuffer.wrap(frame);
    long end = journalBytes + frame.length;
    if (end > journalAllocated) {
      // Extend by a whole step of zeros in the same write: one size change per step.
      long alloc = (end / PREALLOC_BYTES + 1) * PREALLOC_BYTES;
      b = ByteBuffer.allocate((int) (alloc - journalBytes)).put(frame).clear();
      journalAllocated = alloc;
    }
    host.writeFully(journalHandle, b, journalBytes);
    host.fsync(journalHandle, false);
    journalBytes += frame.length;
    return chainAfter(prevChain, frame);
  }

  /** The chain hash after appending {@code frame}. */
  byte[] chainAfter(byte[] prevChain, byte[] frame) {
    return sha256(prevChain, frame);
  }

  /** True when the journal has outgrown the checkpoint and should be folded into a new one. */
  boolean wantsCheckpoint() {
    return journalBytes > Math.max(CHECKPOINT_MIN_JOURNAL_BYTES, checkpointBytes);
  }

  /** Writes a checkpoint atomically, then removes the older checkpoint and journal. */
  void writeCheckpoint(ManifestCodec.Record r) throws IOException {
    byte[] frame = seal(r);
    String tmp = dir + "/" + chkName(r.gen()) + ".tmp";
    long h = host.open(tmp, HostCalls.WRITE | HostCalls.CREATE | HostCalls.TRUNCATE);
    try {
      host.writeFully(h, ByteBuffer.wrap(frame), 0);
      host.fsync(h, true);
    } finally {
      host.close(h);
    }
    host.rename(tmp, dir + "/" + chkName(r.gen()));
    host.fsyncDir(dir);
    long oldBase = baseGen;
    if (journalHandle >= 0) {
      host.close(journalHandle);
      journalHandle = -1;
    }
    baseGen = r.gen();
    journalBytes = 0;
    journalAllocated = 0;
    checkpointBytes = frame.length;
    if (oldBase != baseGen) {
      for (String n : List.of(jnlName(oldBase), chkName(oldBase))) {
        if (host.stat(dir + "/" + n).exists()) {
          host.delete(dir + "/" + n);
        }
      }
      host.fsyncDir(dir);
    }
  }

  static final String CLEAN_NAME = "clean";
  private static final byte[] CLEAN_MAGIC = "SJCL".getBytes(StandardCharsets.US_ASCII);

  /**
   * Records that every data file is durable at state {@code tag} (written at a clean close, after
   * the data files were fsynced; no fsync of its own is needed: it is written after that fsync
   * returned, and a lost or torn marker only makes the next open recover chunks from the journal
   * as after a crash). Content: {@code "SJCL" || tag}.
   */
  void writeCleanMarker(VolumeTag tag) throws IOException {
    long h = host.open(dir + "/" + CLEAN_NAME,
        HostCalls.WRITE | HostCalls.CREATE | HostCalls.TRUNCATE);
    try {
      host.writeFully(h, ByteBuffer.allocate(4 + 32).put(CLEAN_MAGIC).put(tag.bytes()).flip(), 0);
    } finally {
      host.close(h);
    }
  }

  /** True if the clean marker names exactly state {@code tag}. */
  boolean cleanAt(VolumeTag tag) throws IOException {
    if (!host.stat(dir + "/" + CLEAN_NAME).exists()) {
      return false;
    }
    byte[] m = readAll(CLEAN_NAME);
    return m.length == 4 + 32
        && MessageDigest.isEqual(java.util.Arrays.copyOf(m, 4), CLEAN_MAGIC)
        && MessageDigest.isEqual(java.util.Arrays.copyOfRange(m, 4, 36), tag.bytes());
  }

  void close() throws IOException {
    if (journalHandle >= 0) {
      host.close(journalHandle);
      journalHandle = -1;
    }
  }
}
