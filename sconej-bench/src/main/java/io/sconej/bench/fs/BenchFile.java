package io.sconej.bench.fs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/** One open file of a system under test, with positional I/O. */
interface BenchFile extends Closeable {

  /** Writes all remaining bytes of src at position. */
  void write(ByteBuffer src, long position) throws IOException;

  /** Reads until dst is full or end of file; returns the count read. */
  int read(ByteBuffer dst, long position) throws IOException;

  /** Makes everything written so far durable. */
  void force() throws IOException;
}
