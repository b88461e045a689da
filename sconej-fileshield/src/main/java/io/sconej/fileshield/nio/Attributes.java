package io.sconej.fileshield.nio;

import io.sconej.fileshield.NodeAttributes;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The "basic" attributes of a node in a volume. Volumes keep modification and creation times; the
 * last access time is reported as the modification time (like a {@code noatime} mount).
 */
record Attributes(NodeAttributes node) implements BasicFileAttributes {
  private static final String[] NAMES = {
    "lastModifiedTime",
    "lastAccessTime",
    "creationTime",
    "size",
    "isRegularFile",
    "isDirectory",
    "isSymbolicLink",
    "isOther",
    "fileKey"
  };

  /**
   * Accepts {@code posix:permissions} (ignored: a volume has no permissions, its host files are
   * ciphertext) so that {@code Files.createTempFile} works; refuses every other attribute.
   */
  static void checkCreationAttributes(FileAttribute<?>... attrs) {
    for (FileAttribute<?> a : attrs) {
      if (!a.name().equals("posix:permissions")) {
        throw new UnsupportedOperationException(
            "sconej volumes cannot set attribute '" + a.name() + "' at creation");
      }
    }
  }

  /** Attributes named in {@code "[basic:](*|name[,name]*)"}; other views are refused. */
  Map<String, Object> toMap(String attributes) {
    String view = "basic";
    String list = attributes;
    int colon = attributes.indexOf(':');
    if (colon >= 0) {
      view = attributes.substring(0, colon);
      list = attributes.substring(colon + 1);
    }
    if (!view.equals("basic")) {
      throw new UnsupportedOperationException(
          "attribute view '" + view + "' is not available on sconej volumes (only 'basic')");
    }
    Map<String, Object> all = new LinkedHashMap<>();
    Object[] values = {
      lastModifiedTime(),
      lastAccessTime(),
      creationTime(),
      size(),
      isRegularFile(),
      isDirectory(),
      isSymbolicLink(),
      isOther(),
      fileKey()
    };
    for (int i = 0; i < NAMES.length; i++) {
      all.put(NAMES[i], values[i]);
    }
    if (list.equals("*")) {
      return all;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (String n : list.split(",")) {
      if (n.equals("*")) {
        out.putAll(all);
      } else if (all.containsKey(n)) {
        out.put(n, all.get(n));
      } else {
        throw new IllegalArgumentException("unknown basic attribute '" + n + "'");
      }
    }
    return out;
  }

  @Override
  public FileTime lastModifiedTime() {
    return FileTime.fromMillis(node.lastModifiedMillis());
  }

  @Override
  public FileTime lastAccessTime() {
    return lastModifiedTime();
  }

  @Override
  public FileTime creationTime() {
    return FileTime.fromMillis(node.creationMillis());
  }

  @Override
  public boolean isRegularFile() {
    return !node.directory();
  }

  @Override
  public boolean isDirectory() {
    return node.directory();
  }

  @Override
  public boolean isSymbolicLink() {
    return false;
  }

  @Override
  public boolean isOther() {
    return false;
  }

  @Override
  public long size() {
    return node.directory() ? 0 : node.sizeBytes();
  }

  @Override
  public Object fileKey() {
    return node.fileId();
  }
}
