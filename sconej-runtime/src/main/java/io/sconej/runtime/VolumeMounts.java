package io.sconej.runtime;

import io.sconej.cas.client.CasClient;
import io.sconej.cas.client.CasResponseException;
import io.sconej.cas.client.ServiceConfig;
import io.sconej.fileshield.CommitListener;
import io.sconej.fileshield.Volume;
import io.sconej.fileshield.VolumeConfig;
import io.sconej.fileshield.VolumeMode;
import io.sconej.fileshield.VolumeTag;
import io.sconej.fileshield.ViolationListener;
import io.sconej.fileshield.nio.RegionConfig;
import io.sconej.fileshield.nio.RegionKind;
import io.sconej.fileshield.nio.Regions;
import io.sconej.fileshield.nio.RegionsConfig;
import io.sconej.hostcalls.CheckedHostCalls;
import io.sconej.hostcalls.HostCallConfig;
import io.sconej.hostcalls.HostCallsFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Mounts the session's volumes as regions of the default file system provider. Every volume is
 * mounted before the application starts, so a wrong key, a tampered manifest or a rolled-back
 * volume stops the start; a fresh volume is created only where the CAS knows no tag for it. Every
 * commit is announced to the CAS before it is durable and confirmed after.
 */
final class VolumeMounts {
  private VolumeMounts() {}

  /**
   * Mounts the volumes on host calls made as {@code hostCallConfig} says: one {@link
   * CheckedHostCalls} for all of them, closed at exit only after every volume is committed and
   * closed (so asynchronous host calls serve the final commit).
   *
   * <p>A violation found in a volume while the application runs aborts the enclave ({@link
   * ViolationAbort}, reported on {@code hostErr}) unless the session says {@code on_violation:
   * error} for that volume.
   *
   * @return the host calls the volumes use; empty (and none created) when there is no volume
   */
  static Optional<CheckedHostCalls> install(ServiceConfig cfg, Map<String, Path> hostDirs,
      CasClient cas, HostCallConfig hostCallConfig, List<String> exempt, PrintStream hostErr)
      throws LaunchException, IOException {
    if (cfg.volumes().isEmpty()) {
      Regions.install(new RegionsConfig(exemptions(cfg, exempt), defaultAction(cfg)));
      return Optional.empty();
    }
    CheckedHostCalls host = HostCallsFactory.create(hostCallConfig);
    Regions.closeAtExitAfterVolumes(host);
    List<RegionConfig> regions = new ArrayList<>();
    for (var v : cfg.volumes()) {
      Path dir = hostDirs.get(v.name());
      if (dir == null) {
        throw new LaunchException(2, "session volume '" + v.name()
            + "' has no host directory: pass --volume " + v.name() + "=HOST_DIR");
      }
      if (Files.exists(dir) && !Files.isDirectory(dir)) { // a file, a FIFO, a device
        throw new LaunchException(2, "volume directory " + dir + " for '" + v.name()
            + "' is not a directory");
      }
      if (!Files.isDirectory(dir)) {
        throw new LaunchException(2, "volume directory " + dir + " for '" + v.name()
            + "' does not exist (create it empty for a fresh volume)");
      }
      Set<VolumeTag> expected = new HashSet<>();
      v.committedTag().ifPresent(t -> expected.add(new VolumeTag(t)));
      v.pendingTag().ifPresent(t -> expected.add(new VolumeTag(t)));
      VolumeMode mode = VolumeMode.parse(v.kind());
      TagReporter listener = new TagReporter(cas, v.name(), hostErr);
      if (isEmpty(dir)) {
        if (!expected.isEmpty()) {
          throw new LaunchException(3, "volume '" + v.name() + "' is missing at " + dir
              + " but the CAS holds its tag: refusing to start on an empty volume (rollback)");
        }
        try (Volume created = Volume.create(dir, v.key(),
            VolumeConfig.builder().mode(mode).hostCalls(host).build())) {
          listener.created(created.tag());
          expected.add(created.tag());
        }
      } else if (!Files.exists(dir.resolve(VOLUME_HEADER))) {
        if (!expected.isEmpty()) {
          throw new LaunchException(3, "volume '" + v.name() + "' at " + dir + " has no "
              + VOLUME_HEADER + " but the CAS holds its tag: tampered with or replaced");
        }
        throw new LaunchException(2, "volume directory " + dir + " for '" + v.name()
            + "' is not a sconej volume (no " + VOLUME_HEADER + ") and not empty: give the"
            + " volume's directory, or an empty one for a fresh volume");
      }
      regions.add(RegionConfig.builder(v.path())
          .kind(mode == VolumeMode.ENCRYPTED ? RegionKind.ENCRYPTED : RegionKind.AUTHENTICATED)
          .volumeDirectory(dir).key(v.key()).expectedTags(expected).commitListener(listener)
          .violationListener(v.abortsOnViolation()
              ? new ViolationAbort(v.name(), hostErr) : ViolationListener.NONE)
          .hostCalls(host).build());
    }
    regions.addAll(exemptions(cfg, exempt));
    Regions.install(new RegionsConfig(regions, defaultAction(cfg)));
    Regions.mountAll(); // before any application code, so that violations stop the start
    return Optional.of(host);
  }

  private static RegionsConfig.DefaultAction defaultAction(ServiceConfig cfg) {
    return cfg.refusesOutsideVolumes()
        ? RegionsConfig.DefaultAction.REFUSE : RegionsConfig.DefaultAction.UNPROTECTED;
  }

  /**
   * With {@code default_region: refuse}: pass-through regions for the paths the JVM itself needs
   * ({@code exempt}), except any inside a volume (the volume keeps it).
   */
  static List<RegionConfig> exemptions(ServiceConfig cfg, List<String> exempt) {
    if (!cfg.refusesOutsideVolumes()) {
      return List.of();
    }
    List<RegionConfig> out = new ArrayList<>();
    Set<Path> seen = new HashSet<>();
    for (String e : exempt) {
      Path p = Path.of(e).toAbsolutePath().normalize();
      boolean inVolume = cfg.volumes().stream().anyMatch(v -> p.startsWith(Path.of(v.path())));
      if (!inVolume && seen.add(p)) {
        out.add(RegionConfig.builder(p.toString()).kind(RegionKind.UNPROTECTED).build());
      }
    }
    return out;
  }

  /** The file that makes a directory a volume (docs/formats/volume.md). */
  private static final String VOLUME_HEADER = "volume.sconej";

  private static boolean isEmpty(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  /**
   * Reports a volume's tags to the CAS in two phases (docs/cas-api.md), each pending report naming
   * the state it follows. A 409 means the CAS's latest state of the volume is not this enclave's:
   * another writer committed first (the host forced a second writer, e.g. by removing the writer
   * lock or copying the directory) or this copy was forked. That aborts the enclave whatever
   * {@code on_violation} says: one line on the host's stderr and exit 3, before the refused state
   * is appended (or, for a refused confirmation, before anything else is committed), so the
   * application cannot carry on with a volume whose history the CAS no longer holds.
   */
  private record TagReporter(CasClient cas, String volume, PrintStream hostErr)
      implements CommitListener {
    /** Reports a freshly created volume's first state, which follows no tag. */
    void created(VolumeTag tag) throws IOException {
      report(() -> cas.reportPendingTag(volume, Optional.empty(), tag.bytes()));
      afterCommit(tag);
    }

    @Override
    public void beforeCommit(VolumeTag previous, VolumeTag next) throws IOException {
      report(() -> cas.reportPendingTag(volume, Optional.of(previous.bytes()), next.bytes()));
    }

    @Override
    public void afterCommit(VolumeTag tag) throws IOException {
      report(() -> cas.commitTag(volume, tag.bytes()));
    }

    private void report(CasCall call) throws IOException {
      try {
        synchronized (cas) {
          call.run();
        }
      } catch (CasResponseException e) {
        if (e.status() == 409) {
          try {
            hostErr.println("sconej: the CAS refused a commit of volume '" + volume + "' ("
                + e.getMessage() + "); the enclave stops (exit 3) and commits nothing more");
            hostErr.flush();
          } finally {
            Runtime.getRuntime().halt(ViolationAbort.EXIT_CODE);
          }
        }
        throw e;
      }
    }
  }

  @FunctionalInterface
  private interface CasCall {
    void run() throws IOException;
  }
}
