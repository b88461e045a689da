package io.sconej.fileshield.nio;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Re-issues the volume's file system exceptions so that they name the caller's path. */
final class Errors {
  private Errors() {}

  /**
   * The same kind of exception as {@code e}, naming {@code file} (and {@code other}) instead of the
   * volume-internal path. Exceptions of other kinds (integrity violations among them) are returned
   * unchanged: they already name the file, chunk and violation.
   */
  static FileSystemException withFile(FileSystemException e, String file, String other) {
    FileSystemException r;
    if (e instanceof NoSuchFileException) {
      r = new NoSuchFileException(file, other, e.getReason());
    } else if (e instanceof FileAlreadyExistsException) {
      r = new FileAlreadyExistsException(other != null ? other : file, null, e.getReason());
    } else if (e instanceof DirectoryNotEmptyException) {
      r =
          new DirectoryNotEmptyException(
              other != null && e.getFile() != null && !e.getFile().equals(file) ? other : file);
    } else if (e instanceof NotDirectoryException) {
      r = new NotDirectoryException(file);
    } else if (e instanceof AccessDeniedException) {
      r = new AccessDeniedException(file, other, e.getReason());
    } else if (e.getClass() == FileSystemException.class) {
      r = new FileSystemException(file, other, e.getReason());
    } else {
      return e;
    }
    r.initCause(e);
    return r;
  }
}
