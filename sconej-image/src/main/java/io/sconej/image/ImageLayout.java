package io.sconej.image;

import io.sconej.runtime.EnclaveJvmOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where things are in an image, and its entrypoint. The layers, from the least to the most often
 * changed: the linked JRE in {@code /sconej/jre}, the build machine's native libraries at their
 * own paths and an empty {@code /tmp}, the sconej runtime in {@code /sconej/runtime}, the application in {@code /app/lib}.
 * The entrypoint is the enclave JVM itself (exec form: no shell in the image) with exactly the
 * options of {@link EnclaveJvmOptions}; the host adds only environment variables saying where the
 * CAS, its certificate, the config id and the volume directories are (docs/images.md).
 */
final class ImageLayout {
  static final String JRE = "/sconej/jre";
  static final String RUNTIME = "/sconej/runtime";
  static final String APP = "/app/lib";

  private ImageLayout() {}

  /** The image path of a file placed in {@code dir} under its own name. */
  static String in(String dir, Path file) {
    return dir + "/" + file.getFileName();
  }

  /** The entrypoint for runtime and application jars placed under their names. */
  static List<String> entrypoint(ImageSpec spec, List<Path> runtimeJars, List<Path> appJars) {
    List<Path> rt = runtimeJars.stream().map(j -> Path.of(in(RUNTIME, j))).toList();
    List<Path> app = appJars.stream().map(j -> Path.of(in(APP, j))).toList();
    List<String> cmd = new ArrayList<>();
    cmd.add(JRE + "/bin/java");
    cmd.addAll(EnclaveJvmOptions.of(spec.ethreads(), spec.hostCalls(), rt, app));
    cmd.add("io.sconej.runtime.EnclaveMain");
    cmd.addAll(List.of("--cas-identity", spec.casIdentity(), "--mode", spec.mode().id(),
        "--ethreads", Integer.toString(spec.ethreads()), "--hostcalls", spec.hostCalls(),
        "--runtime-class-path", join(rt), "--app-class-path", join(app)));
    return cmd;
  }

  private static String join(List<Path> cp) {
    return String.join(":", cp.stream().map(Path::toString).toList());
  }
}
