package io.sconej.fileshield.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.crypto.SecretBytes;
import io.sconej.hostcalls.AsyncHostCalls;
import io.sconej.hostcalls.HostCallConfig;
import io.sconej.hostcalls.SyncHostCalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegionsConfigTest {
  @TempDir Path tmp;

  @Test
  void loadsRegionsWithKeyFileAndLongestPrefixWins() throws IOException {
    Files.write(tmp.resolve("k.bin"), new byte[32]);
    Path conf = tmp.resolve("r.properties");
    Files.writeString(
        conf,
        "default=refuse\n"
            + "region.1.prefix=/data\nregion.1.volume=/v1\nregion.1.keyFile=k.bin\n"
            + "region.2.prefix=/data/cache/\nregion.2.kind=unprotected\n");
    RegionsConfig c = RegionsConfig.load(conf);
    assertEquals(RegionsConfig.DefaultAction.REFUSE, c.defaultAction());
    assertEquals(2, c.regions().size());
    Regions.Table t =
        new Regions.Table(
            List.of(
                new MountedRegion(c.regions().get(1), null),
                new MountedRegion(c.regions().get(0), null)),
            c.defaultAction());
    assertEquals(
        RegionKind.UNPROTECTED,
        t.match(Path.of("/data/cache/x")).orElseThrow().config().kind());
    assertEquals(RegionKind.ENCRYPTED, t.match(Path.of("/data/x")).orElseThrow().config().kind());
    assertTrue(t.match(Path.of("/database")).isEmpty(), "prefixes match whole names only");
  }

  @Test
  void typosMissingKeysAndShortKeysAreRefused() throws IOException {
    Path conf = tmp.resolve("r.properties");
    Files.writeString(conf, "region.1.prefix=/d\nregion.1.volume=/v\nregion.1.kye=00\n");
    assertTrue(
        assertThrows(IOException.class, () -> RegionsConfig.load(conf))
            .getMessage()
            .contains("unknown key 'region.1.kye'"));
    Files.writeString(conf, "region.1.prefix=/d\nregion.1.volume=/v\n");
    assertThrows(IOException.class, () -> RegionsConfig.load(conf));
    Files.writeString(conf, "region.1.prefix=/d\nregion.1.volume=/v\nregion.1.key=0011\n");
    assertThrows(IOException.class, () -> RegionsConfig.load(conf));
    Files.writeString(conf, "region.1.prefix=relative\nregion.1.kind=unprotected\n");
    assertThrows(IOException.class, () -> RegionsConfig.load(conf));
  }

  @Test
  void installIsRefusedWhenSconejIsNotTheDefaultProvider() {
    var config = new RegionsConfig(List.of(), RegionsConfig.DefaultAction.UNPROTECTED);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Regions.install(config));
    assertTrue(e.getMessage().contains("DefaultFileSystemProvider"), e.getMessage());
  }

  @Test
  void aRegionsVolumeRunsOnTheHostCallsItIsGiven() throws Exception {
    HostCallConfig cfg =
        HostCallConfig.defaults().with(java.util.Map.of("sconej.hostcalls.mode", "async"));
    AsyncHostCalls async = AsyncHostCalls.create(cfg, SyncHostCalls.create());
    RegionConfig.Builder b =
        RegionConfig.builder("/data")
            .volumeDirectory(tmp.resolve("vol"))
            .key(SecretBytes.copyOf(new byte[32]))
            .create(true)
            .hostCalls(async);
    SconejFileSystem fs = new MountedRegion(b.build(), new SconejFileSystemProvider()).fileSystem();
    Files.writeString(fs.getPath("/a.txt"), "through the queues");
    fs.close(); // commits through the async host calls; does not close them
    assertEquals(0, async.violations());
    MountedRegion again = new MountedRegion(b.build(), new SconejFileSystemProvider());
    try (SconejFileSystem fs2 = again.fileSystem()) {
      assertEquals("through the queues", Files.readString(fs2.getPath("/a.txt")));
    }
    async.close();
    // Closed host calls: the volume cannot be mounted, so it did run on them, not on the default.
    IOException e =
        assertThrows(
            IOException.class,
            () -> new MountedRegion(b.build(), new SconejFileSystemProvider()).fileSystem());
    assertTrue(e.getMessage().contains("host calls are closed"), e.getMessage());
  }
}
