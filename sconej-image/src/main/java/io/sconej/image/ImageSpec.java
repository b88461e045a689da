package io.sconej.image;

import io.sconej.attestation.TeeMode;
import java.nio.file.Path;
import java.util.List;

/**
 * What an image is built from. Order carries no meaning: the application's jars are placed by
 * file name and the modules by name, so that the same inputs in another order give the same
 * image (the measurement, too, ignores class path order).
 *
 * @param appJars the application's jars (regular files; directories are not taken)
 * @param mainClass the class whose {@code main} the session's command runs (checked to be in the
 *     jars, and recorded as the image label {@code io.sconej.main-class})
 * @param runtimeJars the sconej runtime's jars, sconej-runtime then sconej-ioagent first (the
 *     order of {@code RunCommand.RUNTIME_ARTIFACTS}, which is fixed, not the user's)
 * @param addModules JDK modules to link besides those jdeps finds
 * @param mode the TEE mode (measured)
 * @param ethreads enclave threads (measured)
 * @param hostCalls {@code sync} or {@code async} (measured)
 * @param casIdentity the CAS key the enclave is measured for (measured; in the entrypoint)
 * @param name the image reference written into the outputs, e.g. {@code hello:1}
 * @param output the directory to write {@code oci/} and {@code docker.tar} into (absent or empty)
 */
public record ImageSpec(List<Path> appJars, String mainClass, List<Path> runtimeJars,
    List<String> addModules, TeeMode mode, int ethreads, String hostCalls, String casIdentity,
    String name, Path output) {
  /** Copies the lists. */
  public ImageSpec {
    appJars = List.copyOf(appJars);
    runtimeJars = List.copyOf(runtimeJars);
    addModules = List.copyOf(addModules);
  }
}
