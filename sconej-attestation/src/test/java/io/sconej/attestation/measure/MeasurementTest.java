package io.sconej.attestation.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.crypto.Hex;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeasurementTest {
  @TempDir Path dir;
  private Path home;
  private final Map<String, byte[]> appFiles = new LinkedHashMap<>();

  @BeforeEach
  void setUp() throws IOException {
    home = dir.resolve("jre");
    write(home.resolve("lib/modules"), "jimage bytes");
    write(home.resolve("bin/java"), "launcher");
    write(home.resolve("conf/security/java.security"), "securerandom.source=file:/dev/random");
    write(home.resolve("legal/java.base/LICENSE"), "GPL");
    appFiles.put("com/example/Main.class", bytes("\u00ca\u00fe main class bytes"));
    appFiles.put("com/example/Util.class", bytes("util class bytes"));
    appFiles.put("config/app.properties", bytes("greeting=hello"));
    appFiles.put("META-INF/services/x.Y", bytes("com.example.Y"));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void write(Path p, String content) throws IOException {
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  /** A jar of {@code files} in the given order, with the given time and compression. */
  private Path jar(String name, Map<String, byte[]> files, long timeMillis, boolean stored)
      throws IOException {
    Path p = dir.resolve(name);
    try (OutputStream o = Files.newOutputStream(p);
        ZipOutputStream z = new ZipOutputStream(o)) {
      for (var e : files.entrySet()) {
        ZipEntry ze = new ZipEntry(e.getKey());
        ze.setTime(timeMillis);
        if (stored) {
          CRC32 crc = new CRC32();
          crc.update(e.getValue());
          ze.setMethod(ZipEntry.STORED);
          ze.setSize(e.getValue().length);
          ze.setCrc(crc.getValue());
        }
        z.putNextEntry(ze);
        z.write(e.getValue());
        z.closeEntry();
      }
    }
    return p;
  }

  private Path jar(String name, Map<String, byte[]> files) throws IOException {
    return jar(name, files, 1_000_000_000_000L, false);
  }

  private Measurement.Builder base(List<Path> app) {
    return Measurement.builder().javaHome(home).appClassPath(app).mainClass("com.example.Main");
  }

  @Test
  void ignoresOrderTimestampsCompressionAndFileNames() throws IOException {
    Path lib = jar("lib.jar", Map.of("org/lib/L.class", bytes("library")));
    Path classes = dir.resolve("classes");
    write(classes.resolve("org/other/O.class"), "other");
    Path a = jar("app.jar", appFiles);
    String first = base(List.of(a, lib, classes)).setting("mode", "sim").build().hex();

    List<Map.Entry<String, byte[]>> reversed = new ArrayList<>(appFiles.entrySet());
    Collections.reverse(reversed);
    Map<String, byte[]> reordered = new LinkedHashMap<>();
    reversed.forEach(e -> reordered.put(e.getKey(), e.getValue()));
    Path b = jar("renamed-app-1.0.jar", reordered, 1_700_000_000_000L, true);
    Files.setLastModifiedTime(classes.resolve("org/other/O.class"), FileTime.fromMillis(12345));
    Files.setLastModifiedTime(home.resolve("lib/modules"), FileTime.fromMillis(67890));
    Measurement second =
        Measurement.builder()
            .javaHome(home)
            .setting("mode", "sim")
            .appClassPath(List.of(classes, b, lib, lib))
            .mainClass("com.example.Main")
            .build();
    assertEquals(first, second.hex());
    assertEquals("measurement " + first, second.manifest().getLast());
  }

  @Test
  void anyChangedByteOfCodeChangesTheValue() throws IOException {
    String good = base(List.of(jar("app.jar", appFiles))).build().hex();
    byte[] cls = appFiles.get("com/example/Util.class");
    for (int i = 0; i < cls.length; i++) {
      byte[] changed = cls.clone();
      changed[i] ^= 1;
      Map<String, byte[]> files = new LinkedHashMap<>(appFiles);
      files.put("com/example/Util.class", changed);
      assertNotEquals(good, base(List.of(jar("x" + i + ".jar", files))).build().hex());
    }
  }

  @Test
  void entryNamesAddedAndRemovedFilesCount() throws IOException {
    String good = base(List.of(jar("app.jar", appFiles))).build().hex();
    Map<String, byte[]> renamed = new LinkedHashMap<>(appFiles);
    renamed.put("com/example/Util2.class", renamed.remove("com/example/Util.class"));
    assertNotEquals(good, base(List.of(jar("r.jar", renamed))).build().hex());
    Map<String, byte[]> removed = new LinkedHashMap<>(appFiles);
    removed.remove("config/app.properties");
    assertNotEquals(good, base(List.of(jar("d.jar", removed))).build().hex());
    Map<String, byte[]> added = new LinkedHashMap<>(appFiles);
    added.put("extra.txt", new byte[0]);
    assertNotEquals(good, base(List.of(jar("e.jar", added))).build().hex());
  }

  @Test
  void jreChangesCountExceptInFilesTheJvmNeverLoads() throws IOException {
    Path app = jar("app.jar", appFiles);
    String good = base(List.of(app)).build().hex();
    write(home.resolve("legal/java.base/LICENSE"), "changed licence text");
    write(home.resolve("man/man1/java.1"), "manual");
    assertEquals(good, base(List.of(app)).build().hex());
    write(home.resolve("lib/modules"), "jimage bytez");
    String otherModules = base(List.of(app)).build().hex();
    assertNotEquals(good, otherModules);
    write(home.resolve("lib/libevil.so"), "x");
    assertNotEquals(otherModules, base(List.of(app)).build().hex());
  }

  @Test
  void settingsAndComponentPlacementCount() throws IOException {
    Path app = jar("app.jar", appFiles);
    String good = base(List.of(app)).setting("ethreads", "2").build().hex();
    assertNotEquals(good, base(List.of(app)).setting("ethreads", "3").build().hex());
    assertNotEquals(good, base(List.of(app)).build().hex());
    assertNotEquals(
        good,
        Measurement.builder()
            .javaHome(home)
            .appClassPath(List.of(app))
            .mainClass("Other")
            .setting("ethreads", "2")
            .build()
            .hex());
    assertNotEquals(
        good,
        Measurement.builder()
            .javaHome(home)
            .runtimeClassPath(List.of(app))
            .mainClass("com.example.Main")
            .setting("ethreads", "2")
            .build()
            .hex());
    assertThrows(
        IllegalArgumentException.class,
        () -> Measurement.builder().setting("ethreads", "2").setting("ethreads", "3"));
  }

  @Test
  void refusesWhatCannotBeMeasuredCanonically() throws IOException {
    Path a = jar("a.jar", Map.of("p/C.class", bytes("one"), "p/D.class", bytes("dup")));
    Path b = jar("b.jar", Map.of("p/C.class", bytes("two")));
    var e = assertThrows(MeasurementException.class, () -> base(List.of(a, b)).build());
    assertTrue(e.getMessage().contains("p/C.class"), e.getMessage());
    // The same class with the same content twice cannot change behaviour: accepted.
    base(List.of(a, jar("c.jar", Map.of("p/C.class", bytes("one"))))).build();

    // Duplicate entry names: patch "p/D.class" into "p/C.class" in local and central headers.
    byte[] z = Files.readAllBytes(a);
    String s = new String(z, StandardCharsets.ISO_8859_1).replace("p/D.class", "p/C.class");
    Path dup = Files.write(dir.resolve("dup.jar"), s.getBytes(StandardCharsets.ISO_8859_1));
    e = assertThrows(MeasurementException.class, () -> base(List.of(dup)).build());
    assertTrue(e.getMessage().contains("duplicate entry"), e.getMessage());

    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(Attributes.Name.CLASS_PATH, "evil.jar");
    var out = new java.io.ByteArrayOutputStream();
    m.write(out);
    Path cp = jar("cp.jar", Map.of("META-INF/MANIFEST.MF", out.toByteArray()));
    // A Class-Path entry naming nothing loads nothing: accepted (the manifest is measured).
    base(List.of(cp)).build();
    // Naming an existing jar outside the measured class path would load unmeasured code.
    Path evil = jar("evil.jar", Map.of("p/E.class", bytes("evil")));
    e = assertThrows(MeasurementException.class, () -> base(List.of(cp)).build());
    assertTrue(e.getMessage().contains("Class-Path entry evil.jar"), e.getMessage());
    // Naming a jar that is itself measured is fine.
    base(List.of(cp, evil)).build();

    assertThrows(
        MeasurementException.class, () -> base(List.of(dir.resolve("missing.jar"))).build());
    Files.writeString(dir.resolve("notazip.jar"), "nope");
    assertThrows(
        MeasurementException.class, () -> base(List.of(dir.resolve("notazip.jar"))).build());
    assertThrows(MeasurementException.class, () -> Measurement.builder().javaHome(dir).build());
  }

  /** Recomputes the value from docs/formats/measurement.md with nothing but MessageDigest. */
  @Test
  void knownAnswerFromTheSpecification() throws Exception {
    Path h = dir.resolve("kat");
    write(h.resolve("lib/modules"), "M");
    byte[] jre = sha(cat(str("sconej-tree-v1"), u32(1), str("lib/modules"), sha(bytes("M"))));
    byte[] emptyCp = sha(cat(str("sconej-classpath-v1"), u32(0)));
    byte[] settings = sha(cat(str("sconej-settings-v1"), u32(1), str("main-class"), str("a.B")));
    byte[] expected =
        sha(
            cat(
                str("sconej-measurement-v1"),
                str("jre"),
                jre,
                str("runtime"),
                emptyCp,
                str("app"),
                emptyCp,
                str("settings"),
                settings));
    Measurement m = Measurement.builder().javaHome(h).mainClass("a.B").build();
    assertEquals(Hex.encode(expected), m.hex());
  }

  private static byte[] sha(byte[] b) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(b);
  }

  private static byte[] u32(int n) {
    return new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
  }

  private static byte[] str(String s) {
    return cat(u32(bytes(s).length), bytes(s));
  }

  private static byte[] cat(byte[]... parts) {
    var out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
