package io.sconej.cli;

import io.sconej.attestation.TeeMode;
import io.sconej.image.ImageBuilder;
import io.sconej.image.ImageException;
import io.sconej.image.ImageSpec;
import io.sconej.runtime.CasIdentity;
import io.sconej.runtime.LaunchSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sconej image}: container images of enclaves (docs/images.md). */
@Command(
    name = "image",
    description = "Container images of enclaves: build (docs/images.md).",
    subcommands = {ImageCommand.Build.class})
final class ImageCommand extends CliCommand {

  /**
   * {@code sconej image build}: an OCI image layout and a Docker-format tar of an enclave, built
   * offline and from scratch with Jib; prints the enclave measurement as the last line. Exit 2
   * for bad inputs (each named), 1 for a failure of the build itself.
   */
  @Command(
      name = "build",
      description = "Build an enclave's image (OCI layout and docker.tar in --output); the"
          + " measurement to pin in the session is the last line.")
  static final class Build extends CliCommand implements Callable<Integer> {
    @Option(names = "--class-path", required = true, paramLabel = "APP_JARS",
        description = "The application's ':'-separated jars (dir/* is every jar in dir).")
    String classPath;

    @Option(names = "--main-class", required = true, paramLabel = "CLASS",
        description = "The class the session's command runs; must be in the jars.")
    String mainClass;

    @Option(names = "--add-modules", paramLabel = "M[,M...]", split = ",",
        description = "JDK modules to link besides those jdeps finds (repeatable).")
    List<String> addModules = new ArrayList<>();

    @Option(names = "--cas-ca", paramLabel = "CA.pem",
        description = "The CAS certificate whose key the enclave is measured for.")
    String casCa;

    @Option(names = "--cas-identity", paramLabel = "SHA256_HEX", description = "Or that key's"
        + " identity (sconej cas identity).")
    String casIdentityHex;

    @Option(names = "--mode", paramLabel = "sim", defaultValue = "sim",
        description = "The TEE mode (measured); default ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--ethreads", paramLabel = "N", defaultValue = "2",
        description = "Carrier threads, 1 to 1024 (measured); default ${DEFAULT-VALUE}.")
    int ethreads;

    @Option(names = "--hostcalls", paramLabel = "sync|async", defaultValue = "sync",
        description = "Host call mode (measured); default ${DEFAULT-VALUE}.")
    String hostCalls;

    @Option(names = "--name", paramLabel = "IMAGE", defaultValue = "sconej-app:latest",
        description = "The image reference in the outputs; default ${DEFAULT-VALUE}.")
    String name;

    @Option(names = "--output", required = true, paramLabel = "DIR",
        description = "Absent or empty directory for oci/ and docker.tar.")
    Path output;

    @Override
    public Integer call() throws CliException {
      TeeMode teeMode;
      String identity = RunCommand.casIdentity(casIdentityHex, casCa, "image build");
      try {
        teeMode = TeeMode.parse(mode);
        LaunchSettings.check(ethreads, hostCalls);
        CasIdentity.parse(identity);
      } catch (IllegalArgumentException e) {
        throw CliException.usage(e.getMessage());
      }
      List<Path> jars = MeasureCommand.classPath("class-path", classPath).stream()
          .map(p -> p.toAbsolutePath().normalize()).toList();
      ImageSpec spec = new ImageSpec(jars, mainClass, RunCommand.runtimeClassPath(),
          addModules.stream().map(String::strip).filter(m -> !m.isEmpty()).toList(), teeMode,
          ethreads, hostCalls, identity, name, output);
      ImageBuilder.Result r;
      try {
        r = ImageBuilder.build(spec);
      } catch (ImageException e) {
        throw new CliException(e.badInput() ? ExitCodes.USAGE : ExitCodes.OTHER, e.getMessage());
      }
      out().println("modules: " + String.join(",", r.modules()));
      out().println("oci layout: " + r.ociLayout() + " (manifest " + r.ociDigest() + ")");
      out().println("docker tar: " + r.dockerTar() + " (image id " + r.dockerImageId() + ")");
      out().println(r.measurement());
      return ExitCodes.OK;
    }
  }
}
