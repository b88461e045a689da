package io.sconej.it.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The enclave's boot class path holds enclave code only (issue 10, item 8): the jars {@code sconej
 * run} puts on {@code -Xbootclasspath/a} contain classes of the enclave's own packages and none of
 * the verifier's (DCAP quotes, collateral, TCB evaluation, sim evidence verification, attestation
 * policy: the CAS's work, in {@code sconej-verifier}). A new package on the boot class path must be
 * added here and to docs/tcb.md, on purpose.
 */
class BootClassPathTest {
  /** Every package the enclave may load from its boot class path (docs/tcb.md). */
  private static final Set<String> ENCLAVE_PACKAGES =
      Set.of(
          "io/sconej/runtime",
          "io/sconej/ioagent",
          "io/sconej/ioagent/boot",
          "io/sconej/crypto",
          "io/sconej/crypto/json",
          "io/sconej/hostcalls",
          "io/sconej/fileshield",
          "io/sconej/fileshield/nio",
          "io/sconej/attestation",
          "io/sconej/attestation/measure",
          "io/sconej/attestation/sim",
          "io/sconej/attestation/x509",
          "io/sconej/cas/client",
          "io/sconej/console");

  @TempDir Path work;

  @Test
  void theEnclaveBootClassPathHoldsNoVerifierCode() throws Exception {
    SconejHarness h = new SconejHarness(work);
    Files.createDirectories(work.resolve("lib"));
    Files.writeString(work.resolve("lib/a.jar"), "not measured here");
    SconejHarness.Result r = h.sconej("run", "--cas", "127.0.0.1:1", "--cas-ca", "ca.pem",
        "--config-id", "s/app", "--class-path", "lib/a.jar", "--platform", "plat",
        "--print-command");
    assertEquals(0, r.exit(), r.err());
    List<String> boot = bootClassPath(r.out());
    assertFalse(boot.isEmpty(), r.out());

    List<String> foreign = new ArrayList<>();
    Set<String> seen = new TreeSet<>();
    for (String jar : boot) {
      String name = Path.of(jar).getFileName().toString();
      assertFalse(name.startsWith("sconej-verifier") || name.startsWith("sconej-cas-0"),
          "a verifier-side jar on the enclave's boot class path: " + jar);
      try (JarFile j = new JarFile(jar)) {
        j.stream()
            .map(e -> e.getName())
            .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/"))
            .forEach(n -> {
              String pkg = n.contains("/") ? n.substring(0, n.lastIndexOf('/')) : "";
              seen.add(pkg);
              if (!ENCLAVE_PACKAGES.contains(pkg) || n.substring(pkg.length()).contains("Verifi")) {
                foreign.add(name + "!" + n);
              }
            });
      }
    }
    assertTrue(foreign.isEmpty(), "not enclave code, on the enclave's boot class path: " + foreign);
    assertTrue(seen.contains("io/sconej/attestation/measure"), "boot class path seen: " + seen);

    // No verifier class may come back under an enclave package either: compare simple names.
    Path lib = Path.of(boot.getFirst()).getParent();
    Set<String> verifier = new TreeSet<>();
    try (var files = Files.list(lib)) {
      Path jar = files.filter(f -> f.getFileName().toString().startsWith("sconej-verifier-"))
          .findFirst().orElseThrow(() -> new AssertionError("no sconej-verifier jar in " + lib));
      try (JarFile j = new JarFile(jar.toFile())) {
        j.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class"))
            .forEach(n -> verifier.add(n.substring(n.lastIndexOf('/') + 1)));
      }
    }
    assertTrue(verifier.contains("DcapVerifier.class"), verifier.toString());
    List<String> copies = new ArrayList<>();
    for (String jar : boot) {
      try (JarFile j = new JarFile(jar)) {
        j.stream().map(e -> e.getName())
            .filter(n -> verifier.contains(n.substring(n.lastIndexOf('/') + 1)))
            .forEach(n -> copies.add(Path.of(jar).getFileName() + "!" + n));
      }
    }
    assertTrue(copies.isEmpty(), "verifier classes on the enclave's boot class path: " + copies);
  }

  private static List<String> bootClassPath(String command) {
    for (String line : command.lines().toList()) {
      for (String arg : line.split(" ")) {
        if (arg.startsWith("-Xbootclasspath/a:")) {
          return List.of(arg.substring("-Xbootclasspath/a:".length()).split(":"));
        }
      }
    }
    return List.of();
  }
}
