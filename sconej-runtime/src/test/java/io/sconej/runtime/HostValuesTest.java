package io.sconej.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.cas.client.ProcessConfig;
import io.sconej.cas.client.ServiceConfig;
import io.sconej.cas.client.VolumeConfig;
import io.sconej.crypto.SecretBytes;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The session's working directory is checked, and its temporary directory must be encrypted. */
class HostValuesTest {
  static ServiceConfig config(ProcessConfig process) {
    List<VolumeConfig> volumes = List.of(
        new VolumeConfig("logs", "/logs", "authenticated", SecretBytes.copyOf(new byte[32]),
            Optional.empty(), Optional.empty()),
        new VolumeConfig("data", "/data", "encrypted", SecretBytes.copyOf(new byte[32]),
            Optional.empty(), Optional.empty()));
    return new ServiceConfig("s", "w", "ab".repeat(32), List.of("x"), Map.of(), List.of(),
        Map.of(), volumes, Map.of(), 0, Map.of(), "unprotected", "unprotected",
        Optional.empty(), process);
  }

  static ProcessConfig process(String workingDir, String tmpDir) {
    return new ProcessConfig(Optional.ofNullable(workingDir), Optional.empty(),
        Optional.ofNullable(tmpDir));
  }

  @Test
  void withoutAWorkingDirAnyDirectoryIsAcceptedWithOneOnlyThatOne() throws Exception {
    HostValues.checkWorkingDir(ProcessConfig.DEFAULTS, "/anywhere");
    HostValues.checkWorkingDir(process("/data/app", null), "/data/app");
    LaunchException e = assertThrows(LaunchException.class,
        () -> HostValues.checkWorkingDir(process("/data/app", null), "/home/host"));
    assertEquals(3, e.exitCode());
    assertEquals("the enclave was started in working directory /home/host, but the session's"
        + " working_dir is /data/app: relative paths would resolve against the host's choice;"
        + " start the enclave from /data/app", e.getMessage());
  }

  @Test
  void theTemporaryDirectoryIsTheSessionsOrTheFirstEncryptedVolumesAndAlwaysEncrypted()
      throws Exception {
    assertEquals(Optional.of(Path.of("/data/.sconej-tmp")),
        HostValues.tmpDir(config(ProcessConfig.DEFAULTS)));
    assertEquals(Optional.of(Path.of("/data/t")),
        HostValues.tmpDir(config(process(null, "/data/t"))));
    for (String bad : List.of("/tmp", "/logs/t", "/datax")) {
      LaunchException e = assertThrows(LaunchException.class,
          () -> HostValues.tmpDir(config(process(null, bad))));
      assertEquals(3, e.exitCode());
      assertTrue(e.getMessage().contains("not inside an encrypted volume"), e.getMessage());
    }
  }
}
