package io.sconej.bench.fs;

import io.sconej.ioagent.boot.IoBridge;
import io.sconej.ioagent.boot.Route;
import io.sconej.ioagent.boot.Router;
import java.io.IOException;
import java.nio.file.FileSystem;

/**
 * Routes one host path prefix into a volume for {@code java.io} (the way {@code sconej run} does
 * for its volumes), so that a {@code RandomAccessFile} on that prefix is served by the volume.
 * Needs the sconej java.io agent on the JVM's command line.
 */
final class VolumeRouting {
  private VolumeRouting() {}

  /** True if the agent is loaded (its bridge is on the boot class path) and nothing installed. */
  static boolean available() {
    try {
      return IoBridge.class.getClassLoader() == null && !IoBridge.installed();
    } catch (LinkageError e) {
      return false;
    }
  }

  /** Serves every path under {@code prefix} from the root of {@code fs}. */
  static void install(String prefix, FileSystem fs) throws IOException {
    IoBridge.install(new Router() {
      @Override
      public Route route(String path) {
        if (path.startsWith(prefix + "/")) {
          return Route.to(fs.getPath(path.substring(prefix.length())));
        }
        return Route.host();
      }
    });
  }
}
