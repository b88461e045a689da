package io.sconej.it.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sconej.it.run.SconejHarness.Result;
import io.sconej.runtime.EnclaveJvmOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What runs is what is measured: the host launches a genuine enclave JVM directly (it need not
 * use bin/sconej) with code or options the measurement does not cover. Each attack would start
 * the application normally (the session admits the measurement, which the attack does not
 * change: the control run shows it), so each refusal here is the launch check's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EffectiveConfigurationTest {
  @TempDir static Path work;
  SconejHarness h;
  Path plat;
  Path app;
  Path vol;
  Path agent;
  /** The enclave command RunCommand prints, which a direct launch starts. */
  List<String> command;

  @BeforeAll
  void startCasAndSession() throws Exception {
    h = new SconejHarness(work);
    plat = h.startSimCas();
    app = SconejHarness.jarOf(work.resolve("hello.jar"), HelloApp.class);
    h.createSession("s.yaml", """
        name: it/effective
        version: 1
        services:
          - name: app
            attestation: {measurements: [%s], modes: [sim]}
            command: [%s, /data]
            volumes: [{name: data, path: /data, kind: encrypted}]
            console: unprotected
        security: {tolerate: [simulation]}
        """.formatted(h.measurement(app.toString()), HelloApp.class.getName()));
    vol = Files.createDirectories(work.resolve("vol"));
    agent = agentJar(work.resolve("agent.jar"));
    Result c = h.sconej("run", "--cas", "127.0.0.1:" + h.casPort, "--cas-ca",
        work.resolve("cas/cas-ca.pem").toString(), "--config-id", "it/effective/app",
        "--class-path", app.toString(), "--volume", "data=" + vol, "--platform",
        plat.toString(), "--print-command");
    assertEquals(0, c.exit(), c.err());
    command = c.out().lines().toList();
  }

  @AfterAll
  void stopCas() {
    h.close();
  }

  @Test
  void theMeasuredLaunchStartsAndEveryAttackIsRefusedNamingWhatDiffers() throws Exception {
    Result control = direct(command, Map.of(), "0");
    assertEquals(0, control.exit(), control.err());
    assertTrue(control.out().contains("APP-STARTED"), control.out());

    // Another class path than the measured --app-class-path: here the application and more.
    Path other = SconejHarness.jarOf(work.resolve("other.jar"), HelloApp.class, LimitsApp.class);
    String otherCp = "the enclave JVM's class path is '" + other
        + "', not the measured --app-class-path '" + app + "'";
    List<String> payloads = List.of("-javaagent:" + agent, "-Xbootclasspath/a:" + work,
        "-Djava.class.path=" + other, "-XX:-DisableAttachMechanism",
        "-Djavax.net.debug=ssl:record:plaintext", "-Xlog:exceptions");
    for (String p : payloads) {
      refused(direct(command, Map.of("JAVA_TOOL_OPTIONS", p), "0"),
          "the launch environment sets JAVA_TOOL_OPTIONS");
      // On the command line (after -cp, so that a class path given this way wins; the JVM does
      // not list java.class.path among its input arguments, the class path check sees it).
      refused(direct(withOption(p), Map.of(), "0"), p.startsWith("-Djava.class.path=")
          ? otherCp : "the enclave JVM was started with the unmeasured option '" + p + "'");
    }
    refused(direct(withOption("-XX:+UsePerfData"), Map.of(), "0"),
        "the enclave JVM was started with the unmeasured option '-XX:+UsePerfData'");
    refused(direct(command, Map.of("JDK_JAVA_OPTIONS", "-Dx=1"), "0"),
        "the launch environment sets JDK_JAVA_OPTIONS");
    refused(direct(command, Map.of("_JAVA_OPTIONS", "-Dx=1"), "0"),
        "the launch environment sets _JAVA_OPTIONS");
    Path lib = Path.of(System.getProperty("java.home"), "lib", "libjsig.so");
    refused(direct(command, Map.of("LD_PRELOAD", lib.toString()), "0"),
        "the launch environment sets LD_PRELOAD");

    List<String> otherCpCommand = new ArrayList<>(command);
    otherCpCommand.set(otherCpCommand.indexOf("-cp") + 1, other.toString());
    refused(direct(otherCpCommand, Map.of(), "0"), otherCp);

    // Core dumps and hs_err files would carry every secret to the host's disk.
    refused(direct(command, Map.of(), "unlimited"), "core dumps are enabled");
    for (String flag : List.of("-XX:-CreateCoredumpOnCrash", "-XX:ErrorFile=/dev/null")) {
      List<String> without = new ArrayList<>(command);
      assertTrue(without.remove(flag), flag);
      refused(direct(without, Map.of(), "0"),
          "the enclave JVM was started without the measured option '" + flag + "'");
    }
  }

  /**
   * bin/sconej and RunCommand give the enclave a clean environment (every refused variable set
   * on the host is removed) and no core dumps, whatever the caller's limit: the application
   * starts, and its process's core file size limit is 0.
   */
  @Test
  void theLaunchersStripTheRefusedVariablesAndTurnCoreDumpsOff() throws Exception {
    Path limits = SconejHarness.jarOf(work.resolve("limits.jar"), LimitsApp.class);
    h.createSession("limits.yaml", """
        name: it/limits
        version: 1
        services:
          - name: app
            attestation: {measurements: [%s], modes: [sim]}
            command: [%s]
            console: unprotected
        security: {tolerate: [simulation]}
        """.formatted(h.measurement(limits.toString()), LimitsApp.class.getName()));
    Map<String, String> env = new HashMap<>();
    EnclaveJvmOptions.REFUSED_VARIABLES.forEach(v -> env.put(v, ""));
    env.put("LD_AUDIT", "");
    for (String launcher : List.of("", "1")) {
      env.put("SCONEJ_JAVA_LAUNCHER", launcher); // "": bin/sconej's fast path; "1": RunCommand
      if (!launcher.isEmpty()) {
        env.remove("JDK_ALTERNATE_VM"); // the CLI's own JVM would not start (it is not refused)
      }
      List<String> cmd = new ArrayList<>(List.of(h.repo.resolve("bin/sconej").toString(), "run",
          "--cas", "127.0.0.1:" + h.casPort, "--cas-ca", "cas/cas-ca.pem", "--config-id",
          "it/limits/app", "--class-path", limits.toString(), "--platform", plat.toString()));
      Result r = launch(cmd, env, "unlimited");
      assertEquals(0, r.exit(), launcher + ": " + r.err());
      assertTrue(r.out().contains("LIMIT Max core file size 0 "), launcher + ": " + r.out());
    }
  }

  private void refused(Result r, String line) {
    assertEquals(3, r.exit(), line + "\n" + r.err() + "\n" + r.out());
    assertTrue(r.err().contains("sconej run: " + line), line + "\n" + r.err());
    assertFalse(r.err().contains("\tat "), r.err());
    assertFalse(r.out().contains("APP-STARTED"), r.out());
  }

  /** The enclave command with {@code option} added just before the main class. */
  private List<String> withOption(String option) {
    List<String> c = new ArrayList<>(command);
    c.add(c.indexOf("io.sconej.runtime.EnclaveMain"), option);
    return c;
  }

  /** Starts {@code cmd} directly (no bin/sconej), with the core file size limit {@code core}. */
  private Result direct(List<String> cmd, Map<String, String> extraEnv, String core)
      throws Exception {
    Map<String, String> env = new HashMap<>(extraEnv);
    env.put("SCONEJ_AOT", "0");
    return launch(cmd, env, core);
  }

  private Result launch(List<String> cmd, Map<String, String> env, String core)
      throws Exception {
    List<String> sh = new ArrayList<>(List.of("/bin/sh", "-c",
        "ulimit -c " + core + " && exec \"$@\"", "sh"));
    sh.addAll(cmd);
    ProcessBuilder pb = new ProcessBuilder(sh).directory(work.toFile());
    pb.environment().keySet().removeIf(EnclaveJvmOptions::refusedVariable);
    pb.environment().putAll(env);
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("the enclave JVM did not exit: " + cmd);
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8), out, err);
  }

  private static Path agentJar(Path jar) throws Exception {
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(new Attributes.Name("Premain-Class"), NoopAgent.class.getName());
    String name = NoopAgent.class.getName().replace('.', '/') + ".class";
    try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(jar), m);
        var in = NoopAgent.class.getClassLoader().getResourceAsStream(name)) {
      j.putNextEntry(new JarEntry(name));
      in.transferTo(j);
    }
    return jar;
  }
}
