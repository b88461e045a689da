package io.sconej.bench.fs;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What one benchmark run measures.
 *
 * @param workDir where the plain files and the volume are created (must be on a real disk)
 * @param gocryptfsMount a mounted, empty gocryptfs plaintext directory, or empty to skip the peer
 * @param fileSizeBytes size of the sequentially written file (a multiple of 1 MiB)
 * @param appWriteBytes size of each application read and write in the sequential phases
 * @param randomOps number of random 4 KiB reads, and of random 4 KiB writes
 * @param repetitions measured repetitions of every phase (after one smaller warm-up pass)
 * @param chunkSizeBytes chunk size of the sconej volume
 * @param filesLow file count of the small volume in the small-write-plus-sync test
 * @param filesHigh file count of the large volume in the small-write-plus-sync test
 * @param syncOps number of (write 100 bytes + force) operations timed per file count
 * @param dropCaches whether to drop the page cache before the cold sequential read
 * @param seed seed of the content and of the random positions
 */
public record FsBenchConfig(
    Path workDir,
    Optional<Path> gocryptfsMount,
    long fileSizeBytes,
    int appWriteBytes,
    int randomOps,
    int repetitions,
    int chunkSizeBytes,
    int filesLow,
    int filesHigh,
    int syncOps,
    boolean dropCaches,
    long seed) {

  /** Size of a random read or write. */
  public static final int RANDOM_IO_BYTES = 4096;

  /** Validates the parameters. */
  public FsBenchConfig {
    if (fileSizeBytes <= 0 || fileSizeBytes % Pattern.BLOCK_BYTES != 0) {
      throw new IllegalArgumentException("fileSizeBytes must be a positive multiple of 1 MiB");
    }
    if (appWriteBytes <= 0 || Pattern.BLOCK_BYTES % appWriteBytes != 0) {
      throw new IllegalArgumentException("appWriteBytes must divide 1 MiB");
    }
    if (randomOps < 1 || repetitions < 1 || filesLow < 1 || filesHigh < filesLow || syncOps < 1) {
      throw new IllegalArgumentException("counts must be positive and filesHigh >= filesLow");
    }
  }

  /** The full run of the issue: 1 GiB, 200k random ops, 100 vs 100,000 files, 3 repetitions. */
  public static FsBenchConfig full(Path workDir, Optional<Path> gocryptfsMount, boolean drop) {
    return new FsBenchConfig(
        workDir, gocryptfsMount, 1L << 30, 1 << 20, 200_000, 3, 4096, 100, 100_000, 1000, drop,
        42);
  }

  /** A seconds-long run that checks the harness end to end (used by the default test run). */
  public static FsBenchConfig smoke(Path workDir) {
    return new FsBenchConfig(
        workDir, Optional.empty(), 16L << 20, 1 << 20, 2000, 1, 4096, 100, 1000, 50, false, 42);
  }
}
