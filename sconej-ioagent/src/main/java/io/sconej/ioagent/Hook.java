package io.sconej.ioagent;

import java.util.ArrayList;
import java.util.List;

/**
 * One transformed JDK method: its class, name and descriptor, what the inserted prologue does,
 * and the bridge method it calls. {@link #all()} is the complete list, and so the complete answer
 * to "what does the agent intercept".
 *
 * @param owner internal name of the JDK class, e.g. {@code java/io/FileInputStream}
 * @param name the method's name
 * @param desc the method's descriptor
 * @param kind what the prologue does
 * @param bridge the name of the bridge method called (in {@code IoBridge} or {@code FileBridge})
 * @param mirror whether the stream's position is copied into the scratch descriptor afterwards
 */
record Hook(String owner, String name, String desc, Kind kind, String bridge, boolean mirror) {

  /** What the inserted prologue does. */
  enum Kind {
    /** {@code open}: ask the bridge; if routed, open the scratch file, mark the descriptor. */
    OPEN,
    /** On a marked descriptor, return what the bridge returns. */
    RETURN,
    /** On a marked descriptor, call the bridge, then run the original code (close). */
    CONTINUE,
    /** On a marked descriptor, return false (FileInputStream.isRegularFile). */
    FALSE,
    /** {@code UnixFileSystem}: return the bridge's answer unless it is the "not routed" one. */
    META,
    /**
     * {@code File.TempDirectory.location()}: return {@code new File(java.io.tmpdir)}, the
     * property's value now, not the one the JDK cached at start (unless the property is unset).
     */
    TEMP_FILE,
    /**
     * {@code TempFileHelper.create}: a {@code null} directory becomes {@code
     * Path.of(java.io.tmpdir)}, read now (unless the property is unset).
     */
    TEMP_PATH
  }

  static final String FIS = "java/io/FileInputStream";
  static final String FOS = "java/io/FileOutputStream";
  static final String RAF = "java/io/RandomAccessFile";
  static final String UFS = "java/io/UnixFileSystem";
  static final String TEMP_DIRECTORY = "java/io/File$TempDirectory";
  static final String TEMP_HELPER = "java/nio/file/TempFileHelper";

  /** The classes transformed by default, in retransformation order. */
  static final List<String> DEFAULT_CLASSES =
      List.of(FIS, FOS, RAF, UFS, TEMP_DIRECTORY, TEMP_HELPER);

  private static final String CHANNEL = "()Ljava/nio/channels/FileChannel;";

  /** Returns every hook of the given classes (internal names). */
  static List<Hook> all(List<String> classes) {
    List<Hook> all = new ArrayList<>();
    if (classes.contains(FIS)) {
      add(all, FIS, "open", "(Ljava/lang/String;)V", Kind.OPEN, "openRead", false);
      add(all, FIS, "read", "()I", Kind.RETURN, "read", false);
      add(all, FIS, "read", "([B)I", Kind.RETURN, "read", false);
      add(all, FIS, "read", "([BII)I", Kind.RETURN, "read", false);
      add(all, FIS, "skip", "(J)J", Kind.RETURN, "skip", false);
      add(all, FIS, "available", "()I", Kind.RETURN, "available", false);
      add(all, FIS, "isRegularFile", "()Z", Kind.FALSE, "", false);
      add(all, FIS, "close", "()V", Kind.CONTINUE, "close", false);
      add(all, FIS, "getChannel", CHANNEL, Kind.RETURN, "channel", false);
    }
    if (classes.contains(FOS)) {
      add(all, FOS, "open", "(Ljava/lang/String;Z)V", Kind.OPEN, "openWrite", false);
      add(all, FOS, "write", "(I)V", Kind.RETURN, "write", false);
      add(all, FOS, "write", "([B)V", Kind.RETURN, "write", false);
      add(all, FOS, "write", "([BII)V", Kind.RETURN, "write", false);
      add(all, FOS, "close", "()V", Kind.CONTINUE, "close", false);
      add(all, FOS, "getChannel", CHANNEL, Kind.RETURN, "channel", false);
    }
    if (classes.contains(RAF)) {
      add(all, RAF, "open", "(Ljava/lang/String;I)V", Kind.OPEN, "openRandom", false);
      add(all, RAF, "read", "()I", Kind.RETURN, "read", true);
      add(all, RAF, "readBytes", "([BII)I", Kind.RETURN, "read", true);
      add(all, RAF, "implReadLine", "()Ljava/lang/String;", Kind.RETURN, "readLine", true);
      add(all, RAF, "write", "(I)V", Kind.RETURN, "write", true);
      add(all, RAF, "writeBytes", "([BII)V", Kind.RETURN, "write", true);
      add(all, RAF, "seek", "(J)V", Kind.RETURN, "seek", true);
      add(all, RAF, "length", "()J", Kind.RETURN, "length", false);
      add(all, RAF, "setLength", "(J)V", Kind.RETURN, "setLength", true);
      add(all, RAF, "close", "()V", Kind.CONTINUE, "close", false);
      add(all, RAF, "getChannel", CHANNEL, Kind.RETURN, "channel", false);
    }
    if (classes.contains(UFS)) {
      meta(all, "getBooleanAttributes", "(Ljava/io/File;)I", "booleanAttributes");
      meta(all, "hasBooleanAttributes", "(Ljava/io/File;I)Z", "hasBooleanAttributes");
      meta(all, "checkAccess", "(Ljava/io/File;I)Z", "checkAccess");
      meta(all, "getLastModifiedTime", "(Ljava/io/File;)J", "lastModified");
      meta(all, "getLength", "(Ljava/io/File;)J", "length");
      meta(all, "setPermission", "(Ljava/io/File;IZZ)Z", "setPermission");
      meta(all, "createFileExclusively", "(Ljava/lang/String;)Z", "createFileExclusively");
      meta(all, "delete", "(Ljava/io/File;)Z", "delete");
      meta(all, "list", "(Ljava/io/File;)[Ljava/lang/String;", "list");
      meta(all, "createDirectory", "(Ljava/io/File;)Z", "createDirectory");
      meta(all, "rename", "(Ljava/io/File;Ljava/io/File;)Z", "rename");
      meta(all, "setLastModifiedTime", "(Ljava/io/File;J)Z", "setLastModified");
      meta(all, "setReadOnly", "(Ljava/io/File;)Z", "setReadOnly");
    }
    // The JDK reads java.io.tmpdir once, at start (StaticProperty), before the runtime sets the
    // session's temporary directory: these two read the property when a temporary file is made.
    if (classes.contains(TEMP_DIRECTORY)) {
      add(all, TEMP_DIRECTORY, "location", "()Ljava/io/File;", Kind.TEMP_FILE, "", false);
    }
    if (classes.contains(TEMP_HELPER)) {
      add(all, TEMP_HELPER, "create", "(Ljava/nio/file/Path;Ljava/lang/String;Ljava/lang/String;Z"
          + "[Ljava/nio/file/attribute/FileAttribute;)Ljava/nio/file/Path;", Kind.TEMP_PATH, "",
          false);
    }
    return all;
  }

  private static void add(
      List<Hook> all, String o, String n, String d, Kind k, String b, boolean mirror) {
    all.add(new Hook(o, n, d, k, b, mirror));
  }

  private static void meta(List<Hook> all, String n, String d, String b) {
    all.add(new Hook(UFS, n, d, Kind.META, b, false));
  }

  /** Returns the key {@code name + desc} under which a method is looked up. */
  String key() {
    return name + desc;
  }
}
