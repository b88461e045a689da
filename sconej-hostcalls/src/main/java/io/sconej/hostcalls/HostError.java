package io.sconej.hostcalls;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Error codes a host writes into a response slot. The trusted side accepts only these codes; any
 * other value is refused as a {@link HostCallException}.
 */
public enum HostError {
  /** Success. */
  OK,
  /** Any other I/O error. */
  IO,
  /** The path does not exist. */
  NO_SUCH_FILE,
  /** The path exists. */
  FILE_EXISTS,
  /** The directory is not empty. */
  DIR_NOT_EMPTY,
  /** The path is not a directory. */
  NOT_DIRECTORY,
  /** Permission denied. */
  ACCESS_DENIED,
  /** The host refused the request as malformed (unknown opcode, bad lengths). */
  BAD_REQUEST,
  /** The file's lock ({@link HostCalls#LOCK}) is held by another process or handle. */
  LOCKED;

  private static final HostError[] VALUES = values();

  /** The code stored in a slot. */
  public int code() {
    return ordinal();
  }

  /** The error for a code, or empty for a code no host may send. */
  static HostError of(int code) {
    return code >= 0 && code < VALUES.length ? VALUES[code] : null;
  }

  /** Classifies an exception thrown by a host implementation. */
  public static HostError classify(IOException e) {
    return switch (e) {
      case HostLockedException x -> LOCKED;
      case NoSuchFileException x -> NO_SUCH_FILE;
      case FileAlreadyExistsException x -> FILE_EXISTS;
      case DirectoryNotEmptyException x -> DIR_NOT_EMPTY;
      case NotDirectoryException x -> NOT_DIRECTORY;
      case AccessDeniedException x -> ACCESS_DENIED;
      default -> IO;
    };
  }

  /** The exception the trusted side throws for this error on {@code what}. */
  IOException toException(String what, String hostMessage) {
    return switch (this) {
      case NO_SUCH_FILE -> new NoSuchFileException(what);
      case FILE_EXISTS -> new FileAlreadyExistsException(what);
      case DIR_NOT_EMPTY -> new DirectoryNotEmptyException(what);
      case NOT_DIRECTORY -> new NotDirectoryException(what);
      case ACCESS_DENIED -> new AccessDeniedException(what);
      case BAD_REQUEST -> new HostCallException("host refused the request as malformed: " + what);
      case LOCKED -> new HostLockedException(what);
      default -> new IOException("host I/O error on " + what + ": " + hostMessage);
    };
  }
}
