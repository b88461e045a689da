package io.sconej.ioagent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Child JVMs with the agent: routing, pass-through, refusal, and fail-closed start. */
class IoAgentTest {
  @TempDir Path tmp;

  static byte[] xor(byte[] host) {
    byte[] plain = new byte[host.length];
    for (int i = 0; i < host.length; i++) {
      plain[i] = (byte) (host[i] ^ XorChannel.key(i));
    }
    return plain;
  }

  @Test
  void shieldedPathsGoThroughTheRouterAndOthersStayOnTheHost() throws Exception {
    Path shielded = tmp.resolve("shielded");
    Path store = Files.createDirectory(tmp.resolve("store"));
    Path plain = Files.createDirectory(tmp.resolve("plain"));
    ChildJvm.Result r = ChildJvm.run("", List.of(), IoProbe.class,
        shielded.toString(), store.toString(), tmp.resolve("refused").toString(),
        plain.toString());
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("PROBE OK"), r.output());

    // Nothing was written under the shielded path on the host: it went to the store.
    assertFalse(Files.exists(shielded), "the shielded directory exists on the host");
    assertFalse(Files.exists(tmp.resolve("refused")));
    byte[] expect = "hello shielded world!".getBytes(StandardCharsets.UTF_8);
    byte[] host = Files.readAllBytes(store.resolve("sub/a2.txt"));
    assertNotEquals(new String(expect, StandardCharsets.UTF_8),
        new String(host, StandardCharsets.UTF_8), "plaintext on the host");
    assertArrayEquals(expect, xor(host), "the host holds the router's transformation");
    byte[] lines = xor(Files.readAllBytes(store.resolve("b.txt")));
    assertEquals("alpha 1\nbeta 2\n", new String(lines, StandardCharsets.UTF_8));
    assertEquals(12, Files.size(store.resolve("c.bin")));

    // Detours through "..", "//" and "." reached the router; a failed router open fell back to
    // nothing on the host.
    for (String detour : List.of("dotdot.txt", "double-slash.txt", "up.txt")) {
      assertEquals("detour", new String(xor(Files.readAllBytes(store.resolve(detour))),
          StandardCharsets.UTF_8), detour);
    }
    assertFalse(Files.exists(store.resolve("broken.txt")));

    // The unshielded directory got plaintext, untouched.
    assertArrayEquals(expect, Files.readAllBytes(plain.resolve("sub/a2.txt")));
    assertEquals("alpha 1\nbeta 2\n", Files.readString(plain.resolve("b.txt")));
  }

  @Test
  void withoutARouterEverythingRunsOnTheHost() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("d"));
    ChildJvm.Result r = ChildJvm.run("", List.of(), PlainProbe.class, dir.toString());
    assertEquals(0, r.exitCode(), r.output());
    assertEquals("plain", Files.readString(dir.resolve("f.txt")));
  }

  @Test
  void temporaryFilesGoWhereJavaIoTmpdirPointsWhenTheyAreMadeNotWhereItPointedAtStart()
      throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("session-tmp"));
    String expected = ("in " + dir + "\n").repeat(3);
    ChildJvm.Result r = ChildJvm.run("", List.of(), TempDirProbe.class, dir.toString());
    assertEquals(0, r.exitCode(), r.output());
    assertEquals(expected, r.output());
    // The control: without the TempFiles hooks the JDK uses the directory it copied at start.
    ChildJvm.Result plain = ChildJvm.run("classes=FileInputStream,FileOutputStream,"
        + "RandomAccessFile,File", List.of(), TempDirProbe.class, dir.toString());
    assertEquals(0, plain.exitCode(), plain.output());
    assertFalse(plain.output().contains("in " + dir), plain.output());
  }

  @Test
  void anUnknownAgentArgumentStopsTheJvmBeforeMain() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("d"));
    ChildJvm.Result r = ChildJvm.run("classes=Socket", List.of(), PlainProbe.class, dir.toString());
    assertNotEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("cannot intercept class Socket"), r.output());
    assertFalse(Files.exists(dir.resolve("f.txt")), "main ran although the agent failed");
  }

  @Test
  void theBuildTimePatchCacheIsUsedAndEqualsWhatTheTransformerComputes() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("d"));
    ChildJvm.Result r = ChildJvm.run("verify-cache", List.of("-Dsconej.ioagent.timing=true"),
        PlainProbe.class, dir.toString());
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("classes 6, from build-time cache 6"), r.output());
  }

  @Test
  void withoutClassDataSharingTheAgentFallsBackToTheClassFileApi() throws Exception {
    Path shielded = tmp.resolve("shielded");
    Path store = Files.createDirectory(tmp.resolve("store"));
    Path plain = Files.createDirectory(tmp.resolve("plain"));
    ChildJvm.Result r = ChildJvm.run("", List.of("-Xshare:off", "-Dsconej.ioagent.timing=true"),
        IoProbe.class, shielded.toString(), store.toString(), tmp.resolve("refused").toString(),
        plain.toString());
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("PROBE OK"), r.output());
    assertFalse(Files.exists(shielded));
  }
}
