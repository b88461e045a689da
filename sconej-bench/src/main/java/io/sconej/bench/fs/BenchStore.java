package io.sconej.bench.fs;

import java.io.Closeable;
import java.io.IOException;

/** A system under test: a place where named files are created, read, written and deleted. */
interface BenchStore extends Closeable {

  /** Short name used in the report. */
  String label();

  /** Opens (creating if missing) the file at a '/'-separated relative name for read and write. */
  BenchFile open(String name) throws IOException;

  /** Deletes the file if it exists. */
  void deleteIfExists(String name) throws IOException;

  /** Makes every change (contents and names) durable. */
  void sync() throws IOException;
}
