package io.sconej.fileshield.nio;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.CopyOption;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.spi.FileSystemProvider;

/**
 * Copy or move between two different file systems (two volumes, or a volume and the host) by
 * streaming the contents, as {@code Files.copy} does across providers. A move is a copy followed by
 * deleting the source, so it is never atomic: {@code ATOMIC_MOVE} is refused.
 */
final class CrossCopy {
  private CrossCopy() {}

  static void copy(Path source, Path target, boolean move, CopyOption... options)
      throws IOException {
    boolean replace = false;
    boolean copyAttributes = move;
    for (CopyOption o : options) {
      if (o == StandardCopyOption.ATOMIC_MOVE) {
        throw new AtomicMoveNotSupportedException(
            source.toString(), target.toString(), "move between different file systems");
      } else if (o == StandardCopyOption.REPLACE_EXISTING) {
        replace = true;
      } else if (o == StandardCopyOption.COPY_ATTRIBUTES) {
        copyAttributes = true;
      }
    }
    FileSystemProvider from = source.getFileSystem().provider();
    FileSystemProvider to = target.getFileSystem().provider();
    BasicFileAttributes a = from.readAttributes(source, BasicFileAttributes.class);
    boolean targetExists;
    try {
      to.readAttributes(target, BasicFileAttributes.class);
      targetExists = true;
    } catch (NoSuchFileException e) {
      targetExists = false;
    }
    if (targetExists) {
      if (!replace) {
        throw new FileAlreadyExistsException(target.toString());
      }
      to.delete(target);
    }
    if (a.isDirectory()) {
      to.createDirectory(target);
    } else {
      try (InputStream in = from.newInputStream(source);
          OutputStream out =
              to.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        in.transferTo(out);
      }
    }
    if (copyAttributes) {
      to.setAttribute(target, "basic:lastModifiedTime", a.lastModifiedTime());
    }
    if (move) {
      from.delete(source);
    }
  }
}
