package io.sconej.attestation.measure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sim-mode measurement cache: re-used only for an unchanged file, and never able to make a
 * changed file measure as the old one, even when the host restores the file's modification time.
 */
class FileHashCacheTest {
  @TempDir Path dir;
  private Path home;
  private Path app;
  private Path cacheFile;

  @BeforeEach
  void setUp() throws IOException {
    home = dir.resolve("jre");
    write(home.resolve("lib/modules"), "jimage bytes");
    write(home.resolve("bin/java"), "launcher");
    app = dir.resolve("app.jar");
    try (var out = new JarOutputStream(Files.newOutputStream(app))) {
      out.putNextEntry(new ZipEntry("com/example/Main.class"));
      out.write("main".getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    cacheFile = dir.resolve("measure-cache");
  }

  private static void write(Path p, String content) throws IOException {
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  private Measurement measure(FileHashCache cache) throws IOException {
    return Measurement.builder().javaHome(home).cache(cache).appClassPath(List.of(app)).build();
  }

  private Measurement cached() throws IOException {
    FileHashCache c = FileHashCache.load(cacheFile);
    Measurement m = measure(c);
    c.save();
    return m;
  }

  @Test
  void aCachedMeasurementEqualsAFullOneAndReadsNothingTheSecondTime() throws IOException {
    Measurement full = measure(null);
    assertArrayEquals(full.value(), cached().value());
    FileHashCache second = FileHashCache.load(cacheFile);
    assertArrayEquals(full.value(), measure(second).value());
    assertEquals(0, second.misses());
    assertEquals(3, second.hits()); // two Java home files and the jar
  }

  @Test
  void aChangedFileMissesEvenWithItsModificationTimeRestored() throws IOException {
    Measurement before = cached();
    Path modules = home.resolve("lib/modules");
    FileTime mtime = Files.getLastModifiedTime(modules);
    Files.writeString(modules, "jimage BYTES"); // same size, different content
    Files.setLastModifiedTime(modules, mtime); // what `touch -d` can do; ctime still moves
    FileHashCache c = FileHashCache.load(cacheFile);
    Measurement after = measure(c);
    assertNotEquals(before.hex(), after.hex());
    assertEquals(1, c.misses());
    assertArrayEquals(measure(null).value(), after.value());
  }

  @Test
  void aReplacedJarMisses() throws IOException, InterruptedException {
    Measurement before = cached();
    Path other = dir.resolve("other.jar");
    try (OutputStream out = new JarOutputStream(Files.newOutputStream(other))) {
      ((JarOutputStream) out).putNextEntry(new ZipEntry("com/example/Main.class"));
      out.write("evil".getBytes(StandardCharsets.UTF_8));
    }
    Files.move(other, app, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertNotEquals(before.hex(), cached().hex());
  }

  @Test
  void aCorruptOrForeignCacheIsIgnoredNotTrustedOrFatal() throws IOException {
    Measurement full = measure(null);
    for (String content : List.of("", "garbage\n", FileHashCache.HEADER + "\nzz 1 2 3 4 5 x\n",
        FileHashCache.HEADER + "\n" + "00".repeat(32) + " 1 2 3 4 5 " + home.resolve("bin/java"))) {
      Files.writeString(cacheFile, content);
      FileHashCache c = FileHashCache.load(cacheFile);
      assertArrayEquals(full.value(), measure(c).value(), content);
    }
  }

  @Test
  void aCorruptJarEntryInTheCacheFailsAsAnUnreadableJarNotAWrongValue() throws IOException {
    cached();
    String text = Files.readString(cacheFile);
    String key = " " + app.toAbsolutePath().normalize();
    String line = text.lines().filter(l -> l.endsWith(key)).findFirst().orElseThrow();
    String value = line.substring(0, line.indexOf(' '));
    String forged = value.substring(0, value.length() - 2); // the last hash one byte short
    Files.writeString(cacheFile, text.replace(value, forged));
    // The identity still matches, so the entry is used: a bad encoding must be refused.
    assertThrows(MeasurementException.class, () -> measure(FileHashCache.load(cacheFile)));
  }

  @Test
  // a guard only: without the check, the FIFO blocks the start
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aCacheThatIsAFifoOrADeviceIsIgnoredInsteadOfBlockingOrNeverEnding() throws Exception {
    Measurement full = measure(null);
    assertEquals(0, new ProcessBuilder("mkfifo", cacheFile.toString()).start().waitFor());
    assertArrayEquals(full.value(), measure(FileHashCache.load(cacheFile)).value());
    Files.delete(cacheFile);
    Files.createSymbolicLink(cacheFile, Path.of("/dev/zero"));
    assertArrayEquals(full.value(), measure(FileHashCache.load(cacheFile)).value());
  }
}
