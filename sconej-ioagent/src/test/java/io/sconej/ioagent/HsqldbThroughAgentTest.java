package io.sconej.ioagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HSQLDB, unmodified, keeps its database in a shielded directory across two JVMs. */
class HsqldbThroughAgentTest {
  @TempDir Path tmp;

  @Test
  void hsqldbFilesGoThroughTheRouter() throws Exception {
    Path shielded = tmp.resolve("shielded");
    Path store = Files.createDirectory(tmp.resolve("store"));
    String refused = tmp.resolve("refused").toString();
    for (String mode : List.of("write", "read")) {
      ChildJvm.Result r = ChildJvm.run("", List.of(), HsqlProbe.class,
          mode, shielded.toString(), store.toString(), refused);
      assertEquals(0, r.exitCode(), r.output());
      assertTrue(r.output().contains("HSQL " + mode + " OK"), r.output());
    }
    assertFalse(Files.exists(shielded), "HSQLDB wrote to the host path itself");
    List<Path> files = hostFiles(store);
    assertTrue(files.stream().anyMatch(p -> p.toString().endsWith("test.script")), "" + files);
    assertTrue(files.stream().anyMatch(p -> p.toString().endsWith("test.data")), "" + files);
    for (Path f : files) {
      String host = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
      assertFalse(host.contains("secret-"), "plaintext rows on the host in " + f);
      assertFalse(host.contains("CREATE"), "plaintext SQL on the host in " + f);
    }
    String script = new String(IoAgentTest.xor(Files.readAllBytes(store.resolve("db/test.script"))),
        StandardCharsets.ISO_8859_1);
    assertTrue(script.contains("secret-note-499"), "the router's view holds the rows");
  }

  private static List<Path> hostFiles(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir)) {
      s.filter(Files::isRegularFile).forEach(files::add);
    }
    return files;
  }
}
