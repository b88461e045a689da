package io.sconej.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.attestation.TeeMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inputs {@code sconej image build} refuses, each with one line naming it (no jlink runs). */
class ImageBuilderTest {
  private static final String CAS = "ab".repeat(32);
  @TempDir Path dir;

  private Path jar(String name, String... entries) throws IOException {
    Path j = dir.resolve(name);
    Files.createDirectories(j.getParent());
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(j))) {
      for (String e : entries) {
        out.putNextEntry(new JarEntry(e));
        out.write(1);
      }
    }
    return j;
  }

  private ImageException refused(List<Path> app, String main, List<String> modules, Path out)
      throws IOException {
    Path rt = jar("rt/sconej-runtime-1.jar", "x/Y.class");
    ImageSpec spec = new ImageSpec(app, main, List.of(rt, rt), modules, TeeMode.SIM, 2, "sync",
        CAS, "app:1", out);
    ImageException e = assertThrows(ImageException.class, () -> ImageBuilder.build(spec));
    assertTrue(e.badInput(), e.getMessage());
    return e;
  }

  @Test
  void aMainClassInNoneOfTheJarsIsRefused() throws Exception {
    Path a = jar("a.jar", "p/Main.class");
    assertEquals("main class p.Other is in none of the application's jars (p/Other.class not"
        + " found)", refused(List.of(a), "p.Other", List.of(), dir.resolve("o")).getMessage());
    assertEquals("'p..Main' is not a class name",
        refused(List.of(a), "p..Main", List.of(), dir.resolve("o")).getMessage());
  }

  @Test
  void aJarThatIsNotAJarIsRefusedByName() throws Exception {
    Path bad = Files.writeString(dir.resolve("notes.jar"), "not a zip");
    String m = refused(List.of(bad), "p.Main", List.of(), dir.resolve("o")).getMessage();
    assertTrue(m.startsWith("application jar " + bad + " is not a jar (zip)"), m);
    Path d = Files.createDirectories(dir.resolve("classes"));
    assertEquals("application jar " + d + " is a directory (give jars only)",
        refused(List.of(d), "p.Main", List.of(), dir.resolve("o")).getMessage());
  }

  @Test
  void twoJarsOfOneNameAreRefusedSinceTheImagePlacesJarsByName() throws Exception {
    Path a = jar("x/lib.jar", "p/Main.class");
    Path b = jar("y/lib.jar", "q/Other.class");
    assertTrue(refused(List.of(a, b), "p.Main", List.of(), dir.resolve("o")).getMessage()
        .startsWith("two application jars are named lib.jar"));
  }

  @Test
  void aModuleTheJdkDoesNotHaveIsRefused() throws Exception {
    Path a = jar("a.jar", "p/Main.class");
    assertTrue(refused(List.of(a), "p.Main", List.of("java.nosuch"), dir.resolve("o"))
        .getMessage().startsWith("module java.nosuch (--add-modules) is not a module of the JDK"));
  }

  @Test
  void aNonEmptyOutputDirectoryIsRefused() throws Exception {
    Path a = jar("a.jar", "p/Main.class");
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.writeString(out.resolve("keep.txt"), "mine");
    assertEquals("output directory " + out + " is not empty",
        refused(List.of(a), "p.Main", List.of(), out).getMessage());
    assertEquals("mine", Files.readString(out.resolve("keep.txt")));
  }

  @Test
  void lddLinesGiveTheLibraryPathsOutsideTheVdsoAndUnresolvedOnes() {
    assertEquals("/lib/x86_64-linux-gnu/libc.so.6", NativeLibrariesStep.libraryPath(
        "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f0000000000)"));
    assertEquals("/lib64/ld-linux-x86-64.so.2",
        NativeLibrariesStep.libraryPath("/lib64/ld-linux-x86-64.so.2 (0x00007f0000000000)"));
    assertNull(NativeLibrariesStep.libraryPath("linux-vdso.so.1 (0x00007ffd00000000)"));
    assertNull(NativeLibrariesStep.libraryPath("libjvm.so => not found"));
  }
}
