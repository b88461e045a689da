package io.sconej.ioagent.boot;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;

/**
 * Decides, for the intercepted {@code java.io} calls, which host paths are shielded and where they
 * are served. Installed once per JVM with {@link IoBridge#install(Router)} before the application's
 * {@code main} runs.
 *
 * <p>Guarantees asked of implementations: {@link #route(String)} is a pure, fast function of its
 * argument (it is called on every intercepted open and on every {@code java.io.File} metadata
 * call), performs no {@code java.io} file access itself, and is thread-safe. Its classes should be
 * loaded before installation (the bridge calls {@code route("/")} once for that).
 */
public interface Router {

  /**
   * Decides the fate of one path.
   *
   * @param absolutePath an absolute path with no {@code .}, {@code ..} or repeated separators, as
   *     the application named it (symbolic links are not resolved)
   * @return never null
   */
  Route route(String absolutePath);

  /**
   * Opens a channel on a routed target; the default uses {@link Files#newByteChannel}. If the
   * result is a {@link java.nio.channels.FileChannel}, {@code getChannel()} on the stream returns
   * it as it is; otherwise the bridge wraps it.
   *
   * @param target a target returned inside {@link Route.To}
   * @param options the options matching the {@code java.io} open (READ; WRITE, CREATE and
   *     TRUNCATE_EXISTING or APPEND; SYNC or DSYNC)
   * @return an open channel positioned at 0 (at the end for APPEND)
   * @throws IOException if the target cannot be opened; its message reaches the application
   */
  default SeekableByteChannel open(Path target, Set<? extends OpenOption> options)
      throws IOException {
    return Files.newByteChannel(target, options);
  }
}
