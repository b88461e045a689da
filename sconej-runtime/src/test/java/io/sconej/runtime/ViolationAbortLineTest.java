package io.sconej.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sconej.fileshield.IntegrityViolationException;
import io.sconej.fileshield.Violation;
import org.junit.jupiter.api.Test;

/** The host's line on an aborting violation names the host data file, never the volume path. */
class ViolationAbortLineTest {
  @Test
  void namesVolumeHostFileChunkAndKindButNotTheFilesName() {
    IntegrityViolationException e = new IntegrityViolationException(
        "secret/payroll.csv", 4, Violation.TAMPERED_CHUNK, null);
    assertEquals("sconej: integrity violation in volume 'data', host file data/3f/3fab, chunk 4:"
        + " chunk fails authentication (modified, moved, swapped or rolled back); the enclave"
        + " stops (exit 3) and commits nothing more",
        ViolationAbort.line("data", e, "data/3f/3fab"));
    IntegrityViolationException missing = new IntegrityViolationException(
        "a.bin", -1, Violation.MISSING_DATA, "data file is missing on the host");
    assertEquals("sconej: integrity violation in volume 'v', host file data/00/00: chunk data"
        + " missing on the host (file truncated or deleted); the enclave stops (exit 3) and"
        + " commits nothing more", ViolationAbort.line("v", missing, "data/00/00"));
  }
}
