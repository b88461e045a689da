package io.sconej.fileshield;

import io.sconej.crypto.Rng;
import io.sconej.crypto.SecretBytes;
import io.sconej.hostcalls.CheckedHostCalls;
import io.sconej.hostcalls.HostCalls;
import io.sconej.hostcalls.HostStat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How a {@link Volume} comes to be: a new one written to an empty host directory, or an existing
 * one authenticated, rebuilt from its manifest, checked against the expected tags and recovered
 * (docs/formats/volume.md; the crash argument in docs/fileshield-crash.md).
 */
final class VolumeSetup {
  private VolumeSetup() {}

  /** {@link Volume#create}. */
  static Volume create(Path hostDir, SecretBytes key, VolumeConfig config) throws IOException {
    CheckedHostCalls host = CheckedHostCalls.wrap(config.hostCalls());
    Path abs = hostDir.toAbsolutePath().normalize();
    String d = abs.toString();
    HostStat st = host.stat(d);
    if (st.exists() && (!st.directory() || !host.list(d).isEmpty())) {
      throw new FileAlreadyExistsException(d, null, "not an empty directory");
    }
    if (!st.exists()) {
      host.mkdir(d);
    }
    long lock = WriterLock.acquire(host, d);
    VolumeHeader h = new VolumeHeader(config.mode(), config.chunkSizeBytes(), Rng.bytes(16));
    VolumeKeys keys = new VolumeKeys(key, h.volumeId);
    Volume v = new Volume(host, abs, h, keys, false, config);
    v.lockHandle = lock;
    host.mkdir(d + "/data");
    String tmp = d + "/" + VolumeHeader.FILE_NAME + ".tmp";
    long fh = host.open(tmp, HostCalls.WRITE | HostCalls.CREATE_NEW);
    try {
      host.writeFully(fh, ByteBuffer.wrap(h.encode(keys)), 0);
      host.fsync(fh, true);
    } finally {
      host.close(fh);
    }
    host.rename(tmp, d + "/" + VolumeHeader.FILE_NAME);
    v.log.chain = v.store.initialChain();
    v.log.gen = 0;
    v.store.writeCheckpoint(
        new ManifestCodec.Record(ManifestCodec.KIND_CHECKPOINT, 0, v.log.chain, List.of()));
    host.fsyncDir(abs.getParent() == null ? d : abs.getParent().toString());
    v.log.tag = new VolumeTag(v.store.tag(0, v.log.chain));
    return v;
  }

  /** {@link Volume#open} once the writer lock (if any) is held. */
  static Volume openLocked(CheckedHostCalls host, Path abs, SecretBytes key,
      VolumeConfig config) throws IOException {
    String hp = abs + "/" + VolumeHeader.FILE_NAME;
    byte[] raw;
    long fh = host.open(hp, HostCalls.READ);
    try {
      ByteBuffer b = ByteBuffer.allocate(VolumeHeader.LENGTH + 1);
      int n = host.readUpTo(fh, b, 0);
      raw = java.util.Arrays.copyOf(b.array(), n);
    } finally {
      host.close(fh);
    }
    VolumeHeader h = VolumeHeader.parse(raw);
    VolumeKeys keys = new VolumeKeys(key, h.volumeId);
    h.authenticate(raw, keys);
    Volume v = new Volume(host, abs, h, keys, config.readOnly(), config);
    Map<Node, Map<Long, byte[]>> inline = load(v);
    if (!config.expectedTags().isEmpty() && !config.expectedTags().contains(v.log.tag)) {
      v.store.close();
      throw new FreshnessViolationException("found tag " + v.log.tag.hex()
          + (config.expectedTags().size() == 1
              ? ", expected " + config.expectedTags().iterator().next().hex()
              : ", expected one of " + config.expectedTags().size() + " tags"));
    }
    // Only once the state is known to be the expected one: recovery writes into data files. After
    // a clean close there is nothing to recover, and an altered chunk must be reported instead.
    if (!inline.isEmpty() && !v.store.cleanAt(v.log.tag)) {
      v.log.unflushed.addAll(InlineRecovery.recover(v, host, v.log, inline, !v.readOnly));
    }
    if (!v.readOnly) {
      v.dataDirs.collectGarbage();
    }
    return v;
  }

  /** Rebuilds the committed state; returns the inline chunks to recover ({@link InlineRecovery}). */
  private static Map<Node, Map<Long, byte[]>> load(Volume v) throws IOException {
    ManifestStore.Loaded l = v.store.load(!v.readOnly);
    v.tree.apply(l.checkpoint());
    for (ManifestCodec.Record r : l.commits()) {
      v.tree.apply(r);
    }
    v.tree.link();
    v.log.gen = l.gen();
    v.log.chain = l.chain();
    v.log.tag = new VolumeTag(v.store.tag(v.log.gen, v.log.chain));
    return InlineRecovery.pending(v.tree, l.commits());
  }
}
