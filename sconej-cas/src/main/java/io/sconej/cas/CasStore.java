package io.sconej.cas;

import io.sconej.crypto.Rng;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Logger;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The CAS's embedded store: an append-only, hash-chained log of AES-256-GCM encrypted records plus
 * a sealed head (docs/cas-store.md has the byte layout and the crash and tamper analysis).
 *
 * <pre>
 * store.log = "SCJLOG01" || record*
 * record    = u32be len(ct) || u64be seq || nonce[12] || ct        (ct includes the GCM tag)
 * AAD       = "sconej-cas-record-v1" || u64be seq || prevHash[32]
 * hash_seq  = SHA-256(prevHash || u64be seq || nonce || ct), prevHash of record 0 = 32 zero bytes
 * head      = nonce[12] || GCM(key, u64be count || hash_last, AAD "sconej-cas-head-v1")
 * </pre>
 *
 * <p>Guarantees: no plaintext of any record reaches the disk; an edited, deleted, reordered or
 * inserted record fails authentication or the chain; truncation below the head is detected.
 * Refusals raise {@link StoreIntegrityException}. Crash safety: a record is fsynced before the head
 * is replaced (temp file, fsync, atomic rename); complete records after the head (a crash between
 * the two) are kept, a torn last record after the head is cut off. Limitation: a rollback of the
 * whole directory (log, head and key together) to an older copy is not detected (no monotonic
 * counter in sim mode).
 */
final class CasStore implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(CasStore.class.getName());
  private static final byte[] MAGIC = "SCJLOG01".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] RECORD_AAD =
      "sconej-cas-record-v1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HEAD_AAD = "sconej-cas-head-v1".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_RECORD_BYTES = 16 << 20;

  private final Path log;
  private final Path head;
  private final SecretKeySpec key;
  private final FileChannel channel;
  private long count;
  private byte[] lastHash;

  private CasStore(Path dir, SecretKeySpec key, FileChannel channel, long count, byte[] lastHash) {
    this.log = dir.resolve("store.log");
    this.head = dir.resolve("store.head");
    this.key = key;
    this.channel = channel;
    this.count = count;
    this.lastHash = lastHash;
  }

  /**
   * Opens (or creates) the store in {@code dir}, verifies every record, and feeds each record's
   * plaintext to {@code replay} in order.
   *
   * @throws StoreIntegrityException if the store was tampered with
   */
  static CasStore open(Path dir, Consumer<byte[]> replay) throws IOException {
    Files.createDirectories(dir);
    Path log = dir.resolve("store.log");
    Path headFile = dir.resolve("store.head");
    boolean fresh = !Files.exists(log) && !Files.exists(headFile);
    SecretKeySpec key = new SecretKeySpec(StoreKey.load(dir, fresh), "AES");
    if (!Files.exists(log)) {
      try {
        Files.createFile(
            log,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(log);
      }
    }
    FileChannel ch = FileChannel.open(log, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      if (fresh || ch.size() == 0) {
        if (!fresh) {
          throw new StoreIntegrityException(log + " is empty but " + headFile + " exists");
        }
        ch.write(ByteBuffer.wrap(MAGIC), 0);
        ch.force(true);
        CasStore s = new CasStore(dir, key, ch, 0, new byte[32]);
        s.writeHead();
        return s;
      }
      byte[] headPlain = readHead(headFile, key);
      long headCount = ByteBuffer.wrap(headPlain).getLong();
      byte[] headHash = java.util.Arrays.copyOfRange(headPlain, 8, 40);
      byte[] data = Files.readAllBytes(log);
      if (data.length < MAGIC.length
          || !MessageDigest.isEqual(java.util.Arrays.copyOf(data, MAGIC.length), MAGIC)) {
        throw new StoreIntegrityException(log + ": not a sconej CAS store (bad magic)");
      }
      ByteBuffer b = ByteBuffer.wrap(data).position(MAGIC.length);
      byte[] prev = new byte[32];
      long seq = 0;
      List<byte[]> plains = new ArrayList<>();
      long goodEnd = b.position();
      byte[] hashAtHead = seq == headCount ? prev.clone() : null;
      while (b.hasRemaining()) {
        int start = b.position();
        byte[] plain;
        byte[] hash;
        try {
          if (b.remaining() < 24) {
            throw new StoreIntegrityException("torn record header");
          }
          int len = b.getInt();
          long recSeq = b.getLong();
          if (len < 16 || len > MAX_RECORD_BYTES || b.remaining() < 12 + len) {
            throw new StoreIntegrityException("record length out of range or torn");
          }
          byte[] nonce = new byte[12];
          b.get(nonce);
          byte[] ct = new byte[len];
          b.get(ct);
          if (recSeq != seq) {
            throw new StoreIntegrityException(
                "sequence number "
                    + recSeq
                    + " where "
                    + seq
                    + " was expected (record deleted, inserted or reordered)");
          }
          plain = cipher(Cipher.DECRYPT_MODE, key, nonce, recordAad(seq, prev)).doFinal(ct);
          hash = chain(prev, seq, nonce, ct);
        } catch (StoreIntegrityException | GeneralSecurityException e) {
          String what = e instanceof AEADBadTagException ? "fails authentication" : e.getMessage();
          if (seq >= headCount) {
            LOG.warning(
                "store: cutting off a torn record " + seq + " after the head (" + what + ")");
            ch.truncate(start);
            ch.force(true);
            break;
          }
          throw new StoreIntegrityException(
              log
                  + ": record "
                  + seq
                  + " (byte offset "
                  + start
                  + ") "
                  + what
                  + "; the store was modified");
        }
        plains.add(plain);
        prev = hash;
        seq++;
        goodEnd = b.position();
        if (seq == headCount) {
          hashAtHead = hash.clone();
        }
      }
      if (seq < headCount) {
        throw new StoreIntegrityException(
            log
                + " ends at record "
                + seq
                + " but the head names "
                + headCount
                + " records: the log was truncated");
      }
      if (hashAtHead == null || !MessageDigest.isEqual(hashAtHead, headHash)) {
        throw new StoreIntegrityException(
            log + ": record chain does not match " + headFile + " (history rewritten)");
      }
      ch.position(goodEnd);
      CasStore s = new CasStore(dir, key, ch, seq, prev);
      if (seq != headCount) {
        s.writeHead();
      }
      for (byte[] p : plains) {
        replay.accept(p);
      }
      return s;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Appends one record durably (record fsynced, then the head replaced atomically). */
  synchronized void append(byte[] plaintext) throws IOException {
    try {
      byte[] nonce = Rng.bytes(12);
      byte[] ct =
          cipher(Cipher.ENCRYPT_MODE, key, nonce, recordAad(count, lastHash)).doFinal(plaintext);
      ByteBuffer b = ByteBuffer.allocate(4 + 8 + 12 + ct.length);
      b.putInt(ct.length).putLong(count).put(nonce).put(ct).flip();
      long at = channel.size();
      while (b.hasRemaining()) {
        at += channel.write(b, at);
      }
      channel.force(false);
      lastHash = chain(lastHash, count, nonce, ct);
      count++;
      writeHead();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  /** Records in the log. */
  synchronized long count() {
    return count;
  }

  private void writeHead() throws IOException {
    try {
      byte[] nonce = Rng.bytes(12);
      Cipher c = cipher(Cipher.ENCRYPT_MODE, key, nonce, HEAD_AAD);
      byte[] ct = c.doFinal(ByteBuffer.allocate(40).putLong(count).put(lastHash).array());
      byte[] out = ByteBuffer.allocate(12 + ct.length).put(nonce).put(ct).array();
      writeAtomically(head, out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  private static byte[] readHead(Path headFile, SecretKeySpec key) throws IOException {
    byte[] h;
    try {
      h = Files.readAllBytes(headFile);
    } catch (NoSuchFileException e) {
      throw new StoreIntegrityException(headFile + " is missing (the store head was deleted)");
    }
    if (h.length != 12 + 40 + 16) {
      throw new StoreIntegrityException(headFile + " has the wrong length");
    }
    try {
      return cipher(Cipher.DECRYPT_MODE, key, java.util.Arrays.copyOf(h, 12), HEAD_AAD)
          .doFinal(h, 12, h.length - 12);
    } catch (GeneralSecurityException e) {
      throw new StoreIntegrityException(headFile + " fails authentication (wrong key or modified)");
    }
  }

  /** Writes {@code data} to {@code target} via temp file, fsync and atomic rename; mode 0600. */
  static void writeAtomically(Path target, byte[] data) throws IOException {
    writeAtomically(target, data, "rw-------");
  }

  /** As {@link #writeAtomically(Path, byte[])} with the given POSIX permissions. */
  static void writeAtomically(Path target, byte[] data, String permissions) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try (FileChannel c =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      c.write(ByteBuffer.wrap(data));
      c.force(true);
    }
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(permissions));
    } catch (UnsupportedOperationException e) {
      // non-POSIX file system: permissions are the platform default
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("file system of " + target + " cannot rename atomically", e);
    }
    try (FileChannel d = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // some platforms cannot fsync a directory; the rename itself is atomic
    }
  }

  private static byte[] recordAad(long seq, byte[] prev) {
    return ByteBuffer.allocate(RECORD_AAD.length + 8 + 32)
        .put(RECORD_AAD)
        .putLong(seq)
        .put(prev)
        .array();
  }

  private static byte[] chain(byte[] prev, long seq, byte[] nonce, byte[] ct)
      throws GeneralSecurityException {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    md.update(prev);
    md.update(ByteBuffer.allocate(8).putLong(seq).array());
    md.update(nonce);
    md.update(ct);
    return md.digest();
  }

  private static Cipher cipher(int mode, SecretKeySpec key, byte[] nonce, byte[] aad)
      throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(mode, key, new GCMParameterSpec(128, nonce));
    c.updateAAD(aad);
    return c;
  }

  @Override
  public synchronized void close() throws IOException {
    channel.close();
  }
}
