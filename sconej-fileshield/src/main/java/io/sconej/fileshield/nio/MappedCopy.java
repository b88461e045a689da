package io.sconej.fileshield.nio;

import io.sconej.fileshield.VolumeFile;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.util.Optional;

/**
 * The "memory mapping" of a range of a shielded file: a verified, decrypted copy of the range in
 * off-heap memory the enclave allocates itself, never a mapping of the host file (which holds
 * ciphertext, and in a TEE lies outside the enclave's memory).
 *
 * <p>Lifetime: a {@link MemorySegment} copy lives in an arena this class owns, and is handed out
 * reinterpreted to the caller's arena's scope, so it works with any {@link Arena} (even one that
 * supports only {@code scope()} and {@code close()}, as Lucene's does); closing the caller's arena
 * unmaps (or zeroes and frees) the copy. On Linux the copy is a private mapping of an unnamed
 * memory file ({@link MemfdMaps}), so that {@code load()} and {@code isLoaded()} work as on a real
 * mapping (Lucene preloads some files); elsewhere it is plain off-heap memory. A {@link MappedByteBuffer} copy lives in an automatic arena: it is
 * freed once the buffer and every view of it are unreachable.
 *
 * <p>Cost: the whole range is read and authenticated when mapped (no lazy paging), and it occupies
 * its size in memory until freed. Bytes past the end of the file read as zeros.
 */
final class MappedCopy {
  /** Copies are page-aligned, as real mappings are (callers may {@code madvise} them). */
  static final long ALIGNMENT_BYTES = 4096;

  private static final int WINDOW_BYTES = 1 << 20;

  private MappedCopy() {}

  /** A copy of {@code [offset, offset + size)} in the caller's {@code arena}'s scope. */
  static MemorySegment segment(VolumeFile file, long offset, long size, Arena arena,
      boolean readOnly) throws IOException {
    if (!arena.scope().isAlive()) {
      throw new IllegalStateException("the arena is already closed");
    }
    Optional<MemfdMaps.Region> region = MemfdMaps.map(size, arena);
    if (region.isPresent()) {
      // Mapped straight into the caller's arena (a reinterpreted segment would not count as
      // mapped); closing the arena unmaps it, and the kernel zeroes the pages before reuse.
      MemorySegment copy = region.get().segment();
      try {
        fill(file, offset, copy);
      } catch (IOException | RuntimeException | Error e) {
        copy.fill((byte) 0); // no verified byte stays readable until the arena closes
        throw e;
      } finally {
        region.get().filled();
      }
      return readOnly ? copy.asReadOnly() : copy;
    }
    Arena owned = Arena.ofShared();
    MemorySegment copy;
    try {
      copy = owned.allocate(size, ALIGNMENT_BYTES);
      fill(file, offset, copy);
    } catch (IOException | RuntimeException | Error e) {
      owned.close();
      throw e;
    }
    MemorySegment out = copy.reinterpret(arena, unused -> {
      copy.fill((byte) 0);
      owned.close();
    });
    return readOnly ? out.asReadOnly() : out;
  }

  /** A copy of {@code [offset, offset + size)} as a direct buffer, freed when unreachable. */
  static MappedByteBuffer buffer(VolumeFile file, long offset, long size, boolean readOnly)
      throws IOException {
    if (size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("size " + size + " exceeds Integer.MAX_VALUE");
    }
    MemorySegment copy = Arena.ofAuto().allocate(size, ALIGNMENT_BYTES);
    fill(file, offset, copy);
    ByteBuffer b = copy.asByteBuffer();
    // A buffer over native memory is a direct buffer, which the JDK implements as a
    // MappedByteBuffer (one without a file descriptor: force() and load() do nothing).
    return (MappedByteBuffer) (readOnly ? b.asReadOnlyBuffer() : b);
  }

  private static void fill(VolumeFile file, long offset, MemorySegment copy) throws IOException {
    long size = copy.byteSize();
    long done = 0;
    while (done < size) {
      int len = (int) Math.min(WINDOW_BYTES, size - done);
      ByteBuffer window = copy.asSlice(done, len).asByteBuffer();
      while (window.hasRemaining()) {
        int n = file.read(window, offset + done + window.position());
        if (n <= 0) {
          return; // past the end of the file: the rest stays zero, as allocated
        }
      }
      done += len;
    }
  }
}
