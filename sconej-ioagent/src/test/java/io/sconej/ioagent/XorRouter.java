package io.sconej.ioagent;

import io.sconej.ioagent.boot.Route;
import io.sconej.ioagent.boot.Router;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;

/**
 * A test router: paths under {@code shielded} are served from {@code store} (another host
 * directory) through {@link XorChannel}; paths under {@code refused} are refused; all else passes.
 */
final class XorRouter implements Router {
  private final String shielded;
  private final String refused;
  private final Path store;

  XorRouter(String shielded, Path store, String refused) {
    this.shielded = shielded;
    this.store = store;
    this.refused = refused;
  }

  private static boolean under(String path, String prefix) {
    return path.equals(prefix) || path.startsWith(prefix + "/");
  }

  @Override
  public Route route(String absolutePath) {
    if (under(absolutePath, shielded)) {
      String rest = absolutePath.substring(shielded.length());
      return Route.to(rest.isEmpty() ? store : store.resolve(rest.substring(1)));
    }
    if (under(absolutePath, refused)) {
      return Route.refuse("region " + refused + " is refuse-only");
    }
    return Route.host();
  }

  @Override
  public SeekableByteChannel open(Path target, Set<? extends OpenOption> options)
      throws IOException {
    if (target.getFileName() != null && target.getFileName().toString().startsWith("broken")) {
      throw new IOException("test router cannot open " + target.getFileName());
    }
    return new XorChannel(FileChannel.open(target, options));
  }
}
