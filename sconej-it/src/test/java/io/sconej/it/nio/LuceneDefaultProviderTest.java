package io.sconej.it.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.crypto.Hex;
import io.sconej.crypto.InsecureSecretAccess;
import io.sconej.crypto.SecretBytes;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Third-party proof of the default-provider mode: Apache Lucene (unmodified, from Maven Central)
 * indexes into a directory covered by an encrypted region, in a child JVM started with sconej as
 * the JVM's default file system provider.
 */
class LuceneDefaultProviderTest {
  static final String MARKER = "sconejzebramarker";
  static final String PROVIDER = "io.sconej.fileshield.nio.SconejDefaultFileSystemProvider";
  @TempDir Path tmp;

  record Result(int exit, String out, String err) {}

  Result run(List<String> jvmArgs, String... args) throws Exception {
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-cp", cp, LuceneApp.class.getName()));
    cmd.addAll(List.of(args));
    Path out = tmp.resolve("out-" + System.nanoTime());
    Path err = tmp.resolve("err-" + System.nanoTime());
    Process p =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
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
  void luceneIndexIsCiphertextOnHostReadsBackAndDetectsTampering() throws Exception {
    // Control: the same run without sconej leaves the marker readable on disk.
    Path plainIndex = tmp.resolve("plain-index");
    Result control = run(List.of(), "index", plainIndex.toString(), MARKER);
    assertEquals(0, control.exit(), control.err());
    assertTrue(hostContains(plainIndex, MARKER), "control: marker expected in a plain index");

    Path index = tmp.resolve("app/index");
    Path vol = tmp.resolve("volume");
    String keyHex = Hex.encode(SecretBytes.random(32).bytes(InsecureSecretAccess.get()));
    Path conf = tmp.resolve("regions.properties");
    Files.writeString(
        conf,
        "region.1.prefix="
            + index
            + "\nregion.1.volume="
            + vol
            + "\nregion.1.key="
            + keyHex
            + "\nregion.1.create=true\n");
    List<String> jvm =
        List.of(
            "-Djava.nio.file.spi.DefaultFileSystemProvider=" + PROVIDER,
            "-Dsconej.fs.regions=" + conf);

    Result indexed = run(jvm, "index", index.toString(), MARKER);
    assertEquals(0, indexed.exit(), indexed.err());
    assertTrue(indexed.out().contains("hits " + LuceneApp.DOCS), indexed.out());
    assertFalse(Files.exists(index), "nothing may reach the region's host path itself");
    assertFalse(hostContains(vol, MARKER), "Lucene's files must be ciphertext on the host");

    Result searched = run(jvm, "search", index.toString(), MARKER);
    assertEquals(0, searched.exit(), searched.err());
    assertTrue(searched.out().contains("hits " + LuceneApp.DOCS), searched.out());
    assertTrue(searched.out().contains("first " + MARKER + " document number 7"), searched.out());

    // Flip one ciphertext byte of the commit point (segments_N) on the host.
    Path victim;
    try (FileSystem fs =
        FileSystems.newFileSystem(
            URI.create("sconej:" + vol), Map.of("key", keyHex, "readOnly", true))) {
      Path segments;
      try (Stream<Path> s = Files.list(fs.getPath("/"))) {
        segments =
            s.filter(p -> p.getFileName().toString().startsWith("segments_"))
                .findFirst()
                .orElseThrow();
      }
      String id = (String) Files.readAttributes(segments, "fileKey").get("fileKey");
      victim = vol.resolve("data").resolve(id.substring(0, 2)).resolve(id);
    }
    byte[] raw = Files.readAllBytes(victim);
    int i = raw.length / 2;
    while (raw[i] == 0) {
      i = (i + 1) % raw.length;
    }
    raw[i] ^= 0x01;
    Files.write(victim, raw);
    Result tampered = run(jvm, "search", index.toString(), MARKER);
    assertNotEquals(0, tampered.exit(), tampered.out());
    assertTrue(tampered.err().contains("IntegrityViolationException"), tampered.err());
  }
}
