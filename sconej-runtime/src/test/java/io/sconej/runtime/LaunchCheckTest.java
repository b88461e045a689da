package io.sconej.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sconej.attestation.TeeMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The launch check on given input (the attacks end to end: EffectiveConfigurationTest). */
class LaunchCheckTest {
  static final String KEY = "0123456789abcdef0123456789abcdef";

  static LaunchArgs args(String mode) throws LaunchException {
    return LaunchArgs.parse(new String[] {"--cas", "127.0.0.1:1", "--cas-ca", "/c.pem",
        "--config-id", "s/a", "--runtime-class-path", "/r/runtime.jar:/r/ioagent.jar",
        "--app-class-path", "/a/app.jar", "--platform", "/p", "--mode", mode});
  }

  static List<String> expected() throws LaunchException {
    LaunchArgs la = args("sim");
    return EnclaveJvmOptions.inputArguments(2, "sync", la.runtimeClassPath());
  }

  @Test
  void theMeasuredOptionsPassAndBinSconejsAotVariantsOnlyInSimWithTheirFilesInThePlatform()
      throws Exception {
    LaunchArgs sim = args("sim");
    LaunchCheck.jvm(sim, expected(), "/a/app.jar");

    List<String> use = new ArrayList<>(List.of("-XX:AOTCache=/p/aot-cache/" + KEY + ".aot",
        LaunchCheck.AOT_QUIET));
    use.addAll(expected());
    use.set(3, use.get(3) + "=patches=/p/aot-cache/" + KEY + ".patches");
    LaunchCheck.jvm(sim, use, "/a/app.jar");
    List<String> record = new ArrayList<>(List.of("-XX:AOTMode=record",
        "-XX:AOTConfiguration=/p/aot-cache/" + KEY + ".conf.4711", LaunchCheck.AOT_QUIET,
        "-XX:+UnlockDiagnosticVMOptions", "-XX:-DisplayVMOutput", "-XX:-AOTRecordTraining"));
    record.addAll(expected());
    LaunchCheck.jvm(sim, record, "/a/app.jar");

    List<String> elsewhere = new ArrayList<>(use);
    elsewhere.set(0, "-XX:AOTCache=/tmp/" + KEY + ".aot");
    refused(sim, elsewhere, "unmeasured option '-XX:AOTCache=/tmp/" + KEY + ".aot'");
    List<String> otherPatches = new ArrayList<>(use);
    otherPatches.set(3, expected().get(1) + "=patches=/tmp/x");
    refused(sim, otherPatches, "unmeasured option '" + otherPatches.get(3) + "'");
    refused(args("tdx"), use, "unmeasured option '-XX:AOTCache=/p/aot-cache/" + KEY + ".aot'");
  }

  @Test
  void anAddedMissingOrReorderedOptionOrAnotherClassPathIsNamed() throws Exception {
    LaunchArgs la = args("sim");
    List<String> added = new ArrayList<>(expected());
    added.add("-Dx=1");
    refused(la, added, "the enclave JVM was started with the unmeasured option '-Dx=1'");
    List<String> missing = new ArrayList<>(expected());
    missing.remove("-XX:ErrorFile=/dev/null");
    refused(la, missing, "the enclave JVM was started without the measured option"
        + " '-XX:ErrorFile=/dev/null'");
    List<String> swapped = new ArrayList<>(expected());
    java.util.Collections.swap(swapped, 1, 2);
    refused(la, swapped, "not in the measured order");
    LaunchException e = assertThrows(LaunchException.class,
        () -> LaunchCheck.jvm(la, expected(), "/a/app.jar:/evil.jar"));
    assertEquals("the enclave JVM's class path is '/a/app.jar:/evil.jar', not the measured"
        + " --app-class-path '/a/app.jar'", e.getMessage());
  }

  @Test
  void launchRelevantVariablesAndCoreDumpsAreRefusedByName() throws Exception {
    LaunchCheck.environment(Map.of("HOME", "/root", "PATH", "/bin"));
    for (String v : List.of("JAVA_TOOL_OPTIONS", "LD_PRELOAD", "LD_AUDIT", "CLASSPATH")) {
      LaunchException e = assertThrows(LaunchException.class,
          () -> LaunchCheck.environment(Map.of(v, "secret-value")));
      assertEquals(3, e.exitCode());
      assertEquals(true, e.getMessage().contains("sets " + v + ","), e.getMessage());
      assertEquals(false, e.getMessage().contains("secret-value"), e.getMessage());
    }
    String limits = "Limit                     Soft Limit           Hard Limit           Units\n"
        + "Max core file size        %s            unlimited            bytes\n";
    LaunchCheck.coreDumps(limits.formatted("0"));
    LaunchException e = assertThrows(LaunchException.class,
        () -> LaunchCheck.coreDumps(limits.formatted("unlimited")));
    assertEquals(3, e.exitCode());
    assertEquals(true, e.getMessage().startsWith("core dumps are enabled (core file size limit"
        + " unlimited)"), e.getMessage());
  }

  @Test
  void theOptionsAndTheCasIdentityAreMeasured() throws Exception {
    LaunchSettings s = new LaunchSettings(TeeMode.SIM, 2, "sync", "ab".repeat(32));
    assertEquals(EnclaveJvmOptions.MEASURED, s.asMap().get("jvm-options"));
    assertNotEquals(s.asMap(), new LaunchSettings(TeeMode.SIM, 2, "sync", "cd".repeat(32))
        .asMap());
    assertThrows(IllegalArgumentException.class,
        () -> new LaunchSettings(TeeMode.SIM, 2, "sync", "AB".repeat(32)));
    assertEquals(Path.of("/a/app.jar"), args("sim").appClassPath().get(0));
  }

  private static void refused(LaunchArgs la, List<String> inputArgs, String part) {
    LaunchException e = assertThrows(LaunchException.class,
        () -> LaunchCheck.jvm(la, inputArgs, "/a/app.jar"));
    assertEquals(3, e.exitCode());
    assertEquals(true, e.getMessage().contains(part), e.getMessage());
  }
}
