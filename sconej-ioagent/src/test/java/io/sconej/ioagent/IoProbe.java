package io.sconej.ioagent;

import io.sconej.ioagent.boot.IoBridge;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.FileReader;
import java.io.FileWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Scanner;

/**
 * Runs in a child JVM with the agent: installs {@link XorRouter} and exercises {@code java.io} on
 * one directory (args: dir, shielded?, store, refused). Exits 0 and prints {@code PROBE OK} when
 * every check passed; the parent test then inspects the host files.
 */
public final class IoProbe {
  private IoProbe() {}

  public static void main(String[] args) throws Exception {
    String shielded = args[0];
    Path store = Path.of(args[1]);
    String refused = args[2];
    String plain = args[3];
    IoBridge.install(new XorRouter(shielded, store, refused));
    exercise(new File(shielded));
    exercise(new File(plain));
    refusals(new File(refused));
    escapes(shielded, plain);
    jars();
    System.out.println("PROBE OK");
  }

  static void check(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError("probe check failed: " + what);
    }
  }

  static void exercise(File dir) throws IOException {
    File sub = new File(dir, "sub");
    check(sub.mkdirs(), "mkdirs " + sub);
    check(sub.isDirectory() && !sub.isFile() && sub.exists(), "directory attributes");
    File a = new File(sub, "a.txt");
    byte[] hello = "hello shielded world".getBytes(StandardCharsets.UTF_8);
    try (FileOutputStream out = new FileOutputStream(a)) {
      out.write(hello, 0, 5);
      out.write(hello[5]);
      out.write(Arrays.copyOfRange(hello, 6, hello.length));
    }
    try (FileOutputStream out = new FileOutputStream(a.getPath(), true)) {
      out.write("!".getBytes(StandardCharsets.UTF_8));
    }
    byte[] expect = "hello shielded world!".getBytes(StandardCharsets.UTF_8);
    check(a.exists() && a.isFile() && a.length() == expect.length, "file attributes " + a.length());
    check(a.lastModified() > 0 && a.canRead() && a.canWrite(), "times and access");
    try (FileInputStream in = new FileInputStream(a)) {
      check(in.available() == expect.length, "available");
      check(in.read() == 'h', "read()");
      check(in.skip(5) == 5, "skip");
      byte[] rest = in.readAllBytes();
      check(Arrays.equals(rest, Arrays.copyOfRange(expect, 6, expect.length)), "readAllBytes");
      check(in.read() == -1 && in.read(new byte[4]) == -1, "eof");
    }
    try (FileInputStream in = new FileInputStream(a)) {
      FileChannel ch = in.getChannel();
      check(ch.size() == expect.length, "getChannel().size()");
      try (FileInputStream again = new FileInputStream(in.getFD())) {
        check(again.read() == 'h', "stream on a shared descriptor");
      }
    }
    File b = new File(dir, "b.txt");
    try (PrintWriter w = new PrintWriter(new BufferedWriter(new FileWriter(b)))) {
      w.println("alpha 1");
      w.println("beta 2");
    }
    try (BufferedReader r = new BufferedReader(new FileReader(b))) {
      check("alpha 1".equals(r.readLine()) && "beta 2".equals(r.readLine()), "FileReader");
    }
    try (Scanner s = new Scanner(b)) {
      check(s.next().equals("alpha") && s.nextInt() == 1, "Scanner(File)");
    }
    randomAccess(new File(dir, "c.bin"));
    String[] names = sub.list();
    check(names != null && names.length == 1 && names[0].equals("a.txt"), "list " + names);
    File a2 = new File(sub, "a2.txt");
    check(a.renameTo(a2) && !a.exists() && a2.exists(), "renameTo");
    File empty = new File(sub, "empty");
    check(empty.createNewFile() && !empty.createNewFile(), "createNewFile");
    check(empty.setLastModified(1_000_000_000_000L), "setLastModified");
    check(empty.lastModified() == 1_000_000_000_000L, "lastModified after set");
    check(empty.delete() && !empty.exists(), "delete");
    File[] files = sub.listFiles();
    check(files != null && files.length == 1, "listFiles");
  }

  static void randomAccess(File c) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(c, "rw")) {
      raf.writeInt(0x01020304);
      raf.writeLong(42L);
      raf.writeBytes("line one\r\nline two\n");
      check(raf.getFilePointer() == 12 + 19, "getFilePointer after writes " + raf.getFilePointer());
      raf.seek(0);
      check(raf.readInt() == 0x01020304 && raf.getFilePointer() == 4, "readInt");
      check(raf.skipBytes(8) == 8, "skipBytes");
      check("line one".equals(raf.readLine()) && "line two".equals(raf.readLine()), "readLine");
      check(raf.length() == 31, "length");
      raf.setLength(100);
      check(raf.length() == 100, "setLength extends");
      raf.seek(99);
      check(raf.read() == 0 && raf.read() == -1, "zeros then eof");
      raf.setLength(12);
      check(raf.getFilePointer() == 12 && raf.length() == 12, "setLength truncates");
      raf.seek(4);
      check(raf.readLong() == 42L, "readLong");
    }
    try (RandomAccessFile raf = new RandomAccessFile(c, "r")) {
      byte[] all = new byte[12];
      raf.readFully(all);
      check(all[3] == 4, "readFully");
    }
  }

  static void refusals(File dir) {
    try (FileInputStream in = new FileInputStream(new File(dir, "x"))) {
      throw new AssertionError("a refused path opened: " + in);
    } catch (FileNotFoundException e) {
      check(e.getMessage().contains("refused by the sconej file shield"), e.getMessage());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    try {
      new File(dir, "x").exists();
      throw new AssertionError("exists() on a refused path returned");
    } catch (SecurityException e) {
      check(e.getMessage().contains("refused"), e.getMessage());
    }
  }

  /** Names that reach the shielded directory by detours must still be routed. */
  static void escapes(String shielded, String plain) throws IOException {
    String name = new File(shielded).getName();
    String[] detours = {
      plain + "/../" + name + "/dotdot.txt",
      shielded + "//./double-slash.txt",
      shielded + "/sub/../up.txt",
    };
    for (String detour : detours) {
      try (FileOutputStream out = new FileOutputStream(detour)) {
        out.write("detour".getBytes(StandardCharsets.UTF_8));
      }
      check(new File(detour).exists() && new File(detour).length() == 6, "detour " + detour);
    }
    try (FileOutputStream out = new FileOutputStream(shielded + "/broken.txt")) {
      throw new AssertionError("the router failed to open, yet the stream opened: " + out);
    } catch (FileNotFoundException e) {
      check(e.getMessage().contains("test router cannot open"), e.getMessage());
    }
  }

  static void jars() throws Exception {
    Class<?> c = Class.forName("org.hsqldb.jdbc.JDBCDriver");
    try (InputStream in = c.getResourceAsStream("/org/hsqldb/resources/information-schema.sql")) {
      check(in != null && in.read() >= 0, "resource from a jar");
    }
  }
}
