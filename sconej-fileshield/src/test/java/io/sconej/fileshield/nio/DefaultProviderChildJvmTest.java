package io.sconej.fileshield.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.crypto.Hex;
import io.sconej.crypto.InsecureSecretAccess;
import io.sconej.crypto.SecretBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default-provider mode, in a real child JVM running {@link DefaultProviderProbe}. */
class DefaultProviderChildJvmTest {
  static final String MARKER = "CHILD-PLAINTEXT-3f9d2b";
  @TempDir Path tmp;

  record Result(int exit, String out, String err) {}

  static Result runJava(Path workDir, List<String> jvmArgs, String main, String... args)
      throws IOException, InterruptedException {
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(cp);
    cmd.add(main);
    cmd.addAll(List.of(args));
    Path out = workDir.resolve("out-" + System.nanoTime() + ".txt");
    Path err = workDir.resolve("err-" + System.nanoTime() + ".txt");
    Process p =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("child JVM timed out");
    }
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  static boolean hostContains(Path dir, String marker) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        if (new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains(marker)) {
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void unmodifiedNioCodeIsShieldedInsideTheRegionOnly() throws Exception {
    Path region = Files.createDirectories(tmp.resolve("app/data"));
    Path vol = tmp.resolve("vol");
    Path outside = Files.createDirectories(tmp.resolve("app/out"));
    Path keyFile = tmp.resolve("region.key");
    Files.writeString(
        keyFile, Hex.encode(SecretBytes.random(32).bytes(InsecureSecretAccess.get())) + "\n");
    Path conf = tmp.resolve("regions.properties");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "default=unprotected",
            "region.1.prefix=" + region,
            "region.1.kind=encrypted",
            "region.1.volume=" + vol,
            "region.1.keyFile=region.key",
            "region.1.create=true",
            ""));
    List<String> jvm =
        List.of(
            "-Djava.nio.file.spi.DefaultFileSystemProvider="
                + SconejDefaultFileSystemProvider.class.getName(),
            "-D" + Regions.CONFIG_PROPERTY + "=" + conf);
    String probe = DefaultProviderProbe.class.getName();

    Result w = runJava(tmp, jvm, probe, "write", region.toString(), outside.toString(), MARKER);
    assertEquals(0, w.exit(), w.err());
    assertTrue(w.out().contains("a " + MARKER + " via Path.of"), w.out());
    assertFalse(hostContains(vol, MARKER), "region data must be ciphertext on the host");
    try (Stream<Path> s = Files.list(region)) {
      assertEquals(0, s.count(), "nothing may land in the region's host directory itself");
    }
    assertEquals(MARKER + " outside", Files.readString(outside.resolve("plain.txt")));
    assertEquals(MARKER + " via File.toPath", Files.readString(outside.resolve("exported.txt")));

    Result r = runJava(tmp, jvm, probe, "read", region.toString(), outside.toString(), MARKER);
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("b " + MARKER + " via File.toPath"), r.out());
    assertTrue(r.out().contains("c " + (65536 + MARKER.length()) + " " + MARKER), r.out());
    assertTrue(r.out().contains("imported " + MARKER + " outside"), r.out());

    Result plain =
        runJava(tmp, List.of(), probe, "read", region.toString(), outside.toString(), MARKER);
    assertNotEquals(0, plain.exit(), "without the provider the data must not be readable");
  }

  @Test
  void badRegionsFileFailsClosed() throws Exception {
    Path conf = tmp.resolve("regions.properties");
    Files.writeString(conf, "region.1.prefix=/x\nregion.1.kyeFile=typo\n");
    Result r =
        runJava(
            tmp,
            List.of(
                "-Djava.nio.file.spi.DefaultFileSystemProvider="
                    + SconejDefaultFileSystemProvider.class.getName(),
                "-D" + Regions.CONFIG_PROPERTY + "=" + conf),
            DefaultProviderProbe.class.getName(),
            "write",
            tmp.resolve("r").toString(),
            tmp.toString(),
            MARKER);
    assertNotEquals(0, r.exit());
    assertTrue(r.err().contains("unknown key 'region.1.kyeFile'"), r.err());
  }
}
