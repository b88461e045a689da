package io.sconej.it.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.it.run.SconejHarness.Result;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sconej image build} end to end (docs/images.md): two builds of the same application,
 * the second from copies of its jars given in the other order, with other file times and the
 * modules in another order, give byte-identical images; the enclave started from the image's own
 * files by the image's own entrypoint, configured only by environment variables, attests to a
 * real CAS whose session pins the measurement the build printed, and runs the application.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageBuildTest {
  @TempDir static Path work;
  SconejHarness h;
  Path plat;
  Result first;
  Result second;

  @BeforeAll
  void buildTwice() throws Exception {
    h = new SconejHarness(work);
    plat = h.startSimCas();
    Path a = Files.createDirectories(work.resolve("a"));
    Path hello = SconejHarness.jarOf(a.resolve("hello.jar"), HelloApp.class);
    Path extra = SconejHarness.jarOf(a.resolve("extra.jar"), SignalApp.class);
    first = h.sconej("image", "build", "--class-path", hello + ":" + extra, "--main-class",
        HelloApp.class.getName(), "--add-modules", "java.logging,java.management", "--cas-ca",
        "cas/cas-ca.pem", "--name", "hello:1", "--output", "out1");
    assertEquals(0, first.exit(), first.err());
    Path b = Files.createDirectories(work.resolve("b"));
    for (Path j : List.of(hello, extra)) {
      Path copy = Files.copy(j, b.resolve(j.getFileName()));
      Files.setLastModifiedTime(copy, FileTime.fromMillis(1_600_000_000_000L));
    }
    second = h.sconej("image", "build", "--class-path", b.resolve("extra.jar") + ":"
        + b.resolve("hello.jar"), "--main-class", HelloApp.class.getName(), "--add-modules",
        "java.management", "--add-modules", "java.logging", "--cas-ca", "cas/cas-ca.pem",
        "--name", "hello:1", "--output", "out2");
    assertEquals(0, second.exit(), second.err());
  }

  @AfterAll
  void stopCas() {
    h.close();
  }

  static String lastLine(Result r) {
    List<String> l = r.out().strip().lines().toList();
    return l.get(l.size() - 1);
  }

  @Test
  void theSameInputsInAnotherOrderAndWithOtherTimesGiveByteIdenticalImages() throws Exception {
    assertTrue(lastLine(first).matches("[0-9a-f]{64}"), first.out());
    assertEquals(first.out().replace("out1", "outN"), second.out().replace("out2", "outN"));
    assertTrue(first.out().contains("modules: java.base,java.instrument,java.logging,"
        + "java.management\n"), first.out());
    assertEquals(-1L, Files.mismatch(work.resolve("out1/docker.tar"),
        work.resolve("out2/docker.tar")));
    List<Path> oci1 = tree(work.resolve("out1/oci"));
    assertEquals(oci1, tree(work.resolve("out2/oci")));
    assertTrue(oci1.contains(Path.of("index.json")) && oci1.contains(Path.of("oci-layout")));
    for (Path p : oci1) {
      assertEquals(-1L, Files.mismatch(work.resolve("out1/oci").resolve(p),
          work.resolve("out2/oci").resolve(p)), p.toString());
    }
  }

  @Test
  void theEnclaveStartedFromTheImageFilesAttestsWithTheBuildTimeMeasurement() throws Exception {
    Path root = unpack(work.resolve("out1/docker.tar"), work.resolve("root"));
    String name = "it/image";
    h.createSession("image.yaml", """
        name: %s
        version: 1
        services:
          - name: app
            attestation:
              measurements: [%s]
              modes: [sim]
            command: [%s, /data]
            environment:
              GREETING: from-the-session
            volumes:
              - name: data
                path: /data
                kind: encrypted
            console: unprotected
        security:
          tolerate: [simulation]
        """.formatted(name, lastLine(first), HelloApp.class.getName()));
    Path vol = Files.createDirectories(work.resolve("vol"));
    ProcessResult r = runEntrypoint(root, name + "/app", vol);
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("GREETING=from-the-session"), r.out());
    assertTrue(r.out().contains("run 1"), r.out());
    // One more file in the image's JRE is another enclave: the CAS refuses it.
    Files.writeString(root.resolve("sconej/jre/lib/added.properties"), "x=1\n");
    ProcessResult refused = runEntrypoint(root, name + "/app", vol);
    assertEquals(3, refused.exit(), refused.err());
    assertTrue(refused.err().contains("MEASUREMENT_MISMATCH"), refused.err());
  }

  record ProcessResult(int exit, String out, String err) {}

  /**
   * Runs the image's entrypoint as it is, its absolute image paths placed under {@code root},
   * with only the image's environment variables saying where things are.
   */
  ProcessResult runEntrypoint(Path root, String configId, Path vol) throws Exception {
    String config = Files.readString(root.resolve("config.json"));
    Matcher m = Pattern.compile("\"Entrypoint\":\\[(.*?)\\]").matcher(config);
    assertTrue(m.find(), config);
    List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", "ulimit -c 0 && exec \"$@\"",
        "sh"));
    for (String arg : m.group(1).substring(1, m.group(1).length() - 1).split("\",\"")) {
      cmd.add(arg.replace("/sconej/", root + "/sconej/").replace("/app/lib/", root + "/app/lib/"));
    }
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("LD_") || k.contains("JAVA"));
    pb.environment().putAll(Map.of("SCONEJ_CAS_ADDR", "127.0.0.1:" + h.casPort,
        "SCONEJ_CAS_CA", work.resolve("cas/cas-ca.pem").toString(), "SCONEJ_CONFIG_ID", configId,
        "SCONEJ_VOLUMES", "data=" + vol, "SCONEJ_PLATFORM", plat.toString()));
    Path out = Files.createTempFile(work, "img", ".out");
    Path err = Files.createTempFile(work, "img", ".err");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("the enclave from the image did not finish");
    }
    return new ProcessResult(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** Unpacks a Docker-format tar: its config and manifest, and every layer into {@code root}. */
  static Path unpack(Path dockerTar, Path root) throws IOException {
    Path image = Files.createDirectories(root.resolveSibling("image"));
    untar(Files.newInputStream(dockerTar), image);
    String manifest = Files.readString(image.resolve("manifest.json"));
    Files.copy(image.resolve("config.json"), Files.createDirectories(root).resolve("config.json"));
    Matcher layers = Pattern.compile("\"([0-9a-f]{64}\\.tar\\.gz)\"").matcher(manifest);
    int n = 0;
    while (layers.find()) {
      untar(new GZIPInputStream(Files.newInputStream(image.resolve(layers.group(1)))), root);
      n++;
    }
    assertEquals(4, n, "layers: jre, system, runtime, app");
    return root;
  }

  private static void untar(InputStream raw, Path dir) throws IOException {
    try (TarArchiveInputStream t = new TarArchiveInputStream(raw)) {
      TarArchiveEntry e;
      while ((e = t.getNextEntry()) != null) {
        Path to = dir.resolve(e.getName()).normalize();
        assertTrue(to.startsWith(dir), e.getName());
        if (e.isDirectory()) {
          Files.createDirectories(to);
          continue;
        }
        Files.createDirectories(to.getParent());
        Files.copy(t, to);
        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString(
            (e.getMode() & 0100) != 0 ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }
  }

  private static List<Path> tree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
    }
  }
}
