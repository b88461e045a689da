package io.sconej.fileshield.nio;

import java.io.IOException;
import java.util.Optional;

/** A region and, once first used, the file system over its volume. */
final class MountedRegion {
  private final RegionConfig config;
  private final SconejFileSystemProvider provider;
  private SconejFileSystem fs;

  MountedRegion(RegionConfig config, SconejFileSystemProvider provider) {
    this.config = config;
    this.provider = provider;
  }

  RegionConfig config() {
    return config;
  }

  /** The region's file system, mounting the volume at first use. */
  synchronized SconejFileSystem fileSystem() throws IOException {
    if (fs != null && fs.isOpen()) {
      return fs;
    }
    if (fs != null) {
      throw new IOException(config + ": its volume was closed");
    }
    if (config.kind() == RegionKind.EPHEMERAL) {
      throw new IOException(config + ": ephemeral regions are not supported yet");
    }
    VolumeOptions options = config.options().orElseThrow();
    var dir = config.volumeDirectory().orElseThrow();
    try {
      fs = provider.mount(options.openOrCreate(dir), options, dir.toString());
    } catch (IOException e) {
      throw new IOException(config + ": cannot mount volume " + dir + ": " + e.getMessage(), e);
    }
    Regions.mounted();
    return fs;
  }

  synchronized Optional<SconejFileSystem> ifMounted() {
    return Optional.ofNullable(fs).filter(SconejFileSystem::isOpen);
  }
}
