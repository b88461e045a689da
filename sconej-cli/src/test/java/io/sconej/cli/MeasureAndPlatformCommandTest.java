package io.sconej.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.attestation.sim.SimPlatform;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeasureAndPlatformCommandTest {
  @TempDir Path dir;
  private Path home;
  private Path libs;

  private record Result(int code, List<String> out, String err) {}

  private static Result run(String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int code =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        code,
        out.toString(StandardCharsets.UTF_8).lines().toList(),
        err.toString(StandardCharsets.UTF_8));
  }

  @BeforeEach
  void setUp() throws IOException {
    home = dir.resolve("jre");
    Files.createDirectories(home.resolve("lib"));
    Files.writeString(home.resolve("lib/modules"), "modules");
    libs = Files.createDirectories(dir.resolve("libs"));
    jar(libs.resolve("a.jar"), "a/A.class", "A");
    jar(libs.resolve("b.jar"), "b/B.class", "B");
  }

  private static void jar(Path p, String entry, String content) throws IOException {
    try (var j = new JarOutputStream(Files.newOutputStream(p))) {
      j.putNextEntry(new JarEntry(entry));
      j.write(content.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void measurePrintsTheSameHexForAnyClassPathOrder() {
    Result r1 =
        run(
            "measure",
            "--java-home",
            home.toString(),
            "--class-path",
            libs.resolve("a.jar") + ":" + libs.resolve("b.jar"),
            "--main-class",
            "a.A",
            "--setting",
            "mode=sim");
    Result r2 =
        run(
            "measure",
            "--java-home",
            home.toString(),
            "--class-path",
            libs + "/*",
            "--setting",
            "mode=sim",
            "--main-class",
            "a.A",
            "--manifest");
    assertEquals(0, r1.code(), r1.err());
    assertEquals(0, r2.code(), r2.err());
    assertTrue(r1.out().getLast().matches("[0-9a-f]{64}"));
    assertEquals(r1.out().getLast(), r2.out().getLast());
    assertTrue(r2.out().size() > 5 && r2.out().contains("  main-class=a.A"));
    Result r3 =
        run(
            "measure",
            "--java-home",
            home.toString(),
            "--class-path",
            libs + "/*",
            "--setting",
            "mode=gramine-sgx",
            "--main-class",
            "a.A");
    assertTrue(!r3.out().getLast().equals(r1.out().getLast()));
  }

  @Test
  void measureReportsBadInputWithExitTwo() {
    assertEquals(2, run("measure", "--class-path", "x.jar").code());
    Result r = run("measure", "--java-home", home.toString(), "--class-path", "missing.jar");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("missing.jar"), r.err());
    assertEquals(
        2,
        run(
                "measure",
                "--java-home",
                home.toString(),
                "--class-path",
                libs + "/*",
                "--setting",
                "novalue")
            .code());
    assertEquals(
        2, run("measure", "--java-home", dir.toString(), "--class-path", libs + "/*").code());
  }

  @Test
  void platformInitCreatesAProtectedKeyAndShowReadsIt() throws IOException {
    Path p = dir.resolve("platform");
    Result init = run("platform", "init", "--dir", p.toString(), "--days", "30");
    assertEquals(0, init.code(), init.err());
    assertTrue(init.err().contains("NO hardware protection"));
    String id = SimPlatform.load(p).platformIdHex();
    assertEquals("platform-id: " + id, init.out().get(0));
    assertEquals(
        "certificate: " + p.resolve(SimPlatform.CERT_FILE).toAbsolutePath(), init.out().get(1));
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(p.resolve(SimPlatform.KEY_FILE))));
    Result show = run("platform", "show", "--dir", p.toString());
    assertEquals(0, show.code(), show.err());
    assertEquals(init.out().get(0), show.out().get(0));
    assertEquals(2, run("platform", "init", "--dir", p.toString()).code());
    assertEquals(2, run("platform", "init", "--dir", p.toString(), "--days", "0").code());
    assertEquals(2, run("platform", "frobnicate", "--dir", p.toString()).code());
    // A missing or corrupt platform is bad input (exit 2), named in one line.
    Result missing = run("platform", "show", "--dir", dir.resolve("none").toString());
    assertEquals(2, missing.code(), missing.err());
    assertTrue(missing.err().contains("none does not exist"), missing.err());
    Files.writeString(p.resolve(SimPlatform.CERT_FILE), "not a certificate");
    Result corrupt = run("platform", "show", "--dir", p.toString());
    assertEquals(2, corrupt.code(), corrupt.err());
    assertTrue(corrupt.err().contains(SimPlatform.CERT_FILE), corrupt.err());
  }
}
