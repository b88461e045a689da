package io.sconej.ioagent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;

/**
 * A test "encrypting" channel: every byte is XORed with a key byte that depends on its position,
 * so host bytes differ from plaintext and positioning mistakes garble the plaintext.
 */
final class XorChannel implements SeekableByteChannel {
  private final FileChannel host;

  XorChannel(FileChannel host) {
    this.host = host;
  }

  static byte key(long position) {
    return (byte) (0xA5 ^ (position * 31));
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    long pos = host.position();
    int start = dst.position();
    int n = host.read(dst);
    for (int i = 0; i < Math.max(n, 0); i++) {
      dst.put(start + i, (byte) (dst.get(start + i) ^ key(pos + i)));
    }
    return n;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    long pos = host.position();
    ByteBuffer enc = ByteBuffer.allocate(src.remaining());
    for (int i = 0; src.hasRemaining(); i++) {
      enc.put((byte) (src.get() ^ key(pos + i)));
    }
    enc.flip();
    int n = 0;
    while (enc.hasRemaining()) {
      n += host.write(enc);
    }
    return n;
  }

  @Override
  public long position() throws IOException {
    return host.position();
  }

  @Override
  public SeekableByteChannel position(long newPosition) throws IOException {
    host.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return host.size();
  }

  @Override
  public SeekableByteChannel truncate(long size) throws IOException {
    host.truncate(size);
    return this;
  }

  @Override
  public boolean isOpen() {
    return host.isOpen();
  }

  @Override
  public void close() throws IOException {
    host.close();
  }
}
