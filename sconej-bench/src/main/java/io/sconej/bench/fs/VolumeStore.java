package io.sconej.bench.fs;

import io.sconej.crypto.SecretBytes;
import io.sconej.fileshield.Volume;
import io.sconej.fileshield.VolumeConfig;
import io.sconej.fileshield.VolumeFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/** A fresh encrypted sconej {@link Volume} in a host directory, through its Java API. */
final class VolumeStore implements BenchStore {
  private static final Set<StandardOpenOption> RW_CREATE =
      Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE);

  private final Volume volume;

  private VolumeStore(Volume volume) {
    this.volume = volume;
  }

  /** Creates an encrypted volume with a random key and the given chunk size. */
  static VolumeStore create(Path hostDir, int chunkSizeBytes) throws IOException {
    VolumeConfig config = VolumeConfig.builder().chunkSizeBytes(chunkSizeBytes).build();
    return new VolumeStore(Volume.create(hostDir, SecretBytes.random(32), config));
  }

  @Override
  public String label() {
    return "sconej volume";
  }

  @Override
  public BenchFile open(String name) throws IOException {
    createParents(name);
    VolumeFile f = volume.open(name, RW_CREATE);
    return new BenchFile() {
      @Override
      public void write(ByteBuffer src, long position) throws IOException {
        f.write(src, position);
      }

      @Override
      public int read(ByteBuffer dst, long position) throws IOException {
        int total = 0;
        while (dst.hasRemaining()) {
          int n = f.read(dst, position + total);
          if (n < 0) {
            break;
          }
          total += n;
        }
        return total;
      }

      @Override
      public void force() throws IOException {
        f.force();
      }

      @Override
      public void close() throws IOException {
        f.close();
      }
    };
  }

  private void createParents(String name) throws IOException {
    int slash = name.lastIndexOf('/');
    if (slash > 0 && volume.stat(name.substring(0, slash)).isEmpty()) {
      createParents(name.substring(0, slash));
      volume.createDirectory(name.substring(0, slash));
    }
  }

  @Override
  public void deleteIfExists(String name) throws IOException {
    try {
      volume.delete(name);
    } catch (NoSuchFileException e) {
      // absent already: nothing to delete
    }
  }

  @Override
  public void sync() throws IOException {
    volume.sync();
  }

  /** Reads and checks every byte of the volume. */
  void verify() throws IOException {
    volume.verify();
  }

  @Override
  public void close() throws IOException {
    volume.close();
  }
}
