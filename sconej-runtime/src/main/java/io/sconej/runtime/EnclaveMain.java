package io.sconej.runtime;

import io.sconej.attestation.AttestationException;
import io.sconej.attestation.TeeMode;
import io.sconej.attestation.measure.FileHashCache;
import io.sconej.attestation.measure.Measurement;
import io.sconej.attestation.sim.SimEvidence;
import io.sconej.attestation.sim.SimPlatform;
import io.sconej.cas.client.CasClient;
import io.sconej.cas.client.CasConnection;
import io.sconej.cas.client.CasResponseException;
import io.sconej.cas.client.CasUnreachableException;
import io.sconej.cas.client.ServiceConfig;
import io.sconej.crypto.SmallFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The enclave JVM's entry point. In order, before any application code runs: warns in sim mode,
 * checks that the JVM runs the measured configuration ({@link LaunchCheck}) and that the CAS
 * certificate is the measured CAS identity, measures the enclave, attests to the CAS over a channel the evidence is bound to, checks the
 * launch settings against the session, mounts the session's volumes (checking their freshness),
 * installs the session's environment, resolves the main class; then calls the application's
 * {@code main}. Any failure before that exits with 2 (bad input), 3 (attestation or integrity) or
 * 4 (CAS unreachable or refusing) and one line on stderr.
 */
public final class EnclaveMain {
  private EnclaveMain() {}

  /** Entry point; the arguments are the host's launch arguments (see {@link LaunchArgs}). */
  public static void main(String[] args) throws Throwable {
    PrintStream err = System.err;
    // Until the console shield is installed stderr is plaintext on the host: every error line
    // goes through errors.clean, which removes the released secrets' values.
    LaunchErrors errors = new LaunchErrors();
    boolean debug = LaunchArgs.debug(args);
    StartupTimer timer = new StartupTimer();
    AppCommand app;
    MethodHandle main;
    try {
      LaunchArgs la = LaunchArgs.parse(args, System.getenv());
      err.println("sconej: " + la.mode().protectionStatement());
      // What runs must be what is measured: no launch-relevant variable, no core dumps, and the
      // JVM options and class path the launch settings imply (its own thread: the management
      // classes that report the options cost ~15 ms cold). All before the CAS is contacted.
      LaunchCheck.environment(System.getenv());
      LaunchCheck.coreDumps(Files.readString(Path.of("/proc/self/limits")));
      FutureTask<Void> jvmCheck = new FutureTask<>(() -> {
        LaunchCheck.jvm(la, java.lang.management.ManagementFactory.getRuntimeMXBean()
            .getInputArguments(), System.getProperty("java.class.path"));
        return null;
      });
      Thread.ofPlatform().daemon().name("sconej-check").start(jvmCheck);
      // The measurement is only needed when the evidence is signed, after the TLS handshake and
      // the nonce request: it runs on the second core meanwhile, once the CAS certificate (whose
      // key is a measured setting) is read.
      CompletableFuture<LaunchSettings> settings = new CompletableFuture<>();
      long measureStart = timer.now();
      FutureTask<Measurement> measuring = new FutureTask<>(() -> {
        // First the TLS classes' static initialisation (~25 ms cold: cipher suites checked
        // against the algorithm constraints), while the main thread reads the CA certificate.
        javax.net.ssl.SSLContext.getInstance("TLSv1.3");
        Measurement m = measure(la, settings.get(), err);
        timer.record("measurement(parallel)", measureStart);
        return m;
      });
      Thread.ofPlatform().daemon().name("sconej-measure").start(measuring);
      // What needs no input from the CAS is made on a third thread, in the order it is needed,
      // while this one reads the CAS CA certificate and sets up TLS: the channel key and
      // certificate, the sim platform key, what installing the session environment needs.
      FutureTask<CasConnection.ClientIdentity> identity = new FutureTask<>(CasClient::newIdentity);
      FutureTask<SimPlatform> platform = new FutureTask<>(() ->
          la.platformDir() == null ? null : SimPlatform.open(la.platformDir()));
      FutureTask<SessionEnvironment.Prepared> environment =
          new FutureTask<>(SessionEnvironment::prepare);
      Thread.ofPlatform().daemon().name("sconej-prepare").start(() -> {
        identity.run();
        platform.run();
        environment.run();
      });
      X509Certificate casCa = readCert(la.casCa());
      // Only the CAS the enclave was measured for (exit 3 for another key), before any contact.
      LaunchSettings launch = la.settings(casCa);
      settings.complete(launch);
      joinCheck(jvmCheck);
      CasClient cas = CasClient.create(la.casHost(), la.casPort(), casCa,
          join(identity, "the channel key"));
      ServiceConfig cfg = attest(la, cas, measuring, platform);
      errors.secrets(cfg.secrets());
      timer.mark("measurement+attestation");
      if (cfg.ethreads() != 0 && cfg.ethreads() != launch.ethreads()) {
        throw new LaunchException(3, "the session requires ethreads=" + cfg.ethreads()
            + " but the enclave was launched with ethreads=" + launch.ethreads()
            + " (launch with --ethreads " + cfg.ethreads() + ")");
      }
      // Relative paths resolve against the directory the JVM started in (cached by the JDK).
      HostValues.checkWorkingDir(cfg.process(), new java.io.File("").getAbsolutePath());
      var hostCalls = HostCallSettings.resolve(launch, la.hostCallOptions(),
          cfg.hostCalls());
      app = AppCommand.parse(cfg.command(), la.appClassPath());
      List<String> exempt = exemptPaths(la);
      VolumeMounts.install(cfg, la.volumeDirs(), cas, hostCalls, exempt, err)
          .ifPresent(h -> timer.note(HostCallSettings.describe(h)));
      if (io.sconej.ioagent.boot.IoBridge.installed()) {
        throw new LaunchException(1, "a java.io router was installed before the runtime's");
      }
      io.sconej.ioagent.boot.IoBridge.install(
          new VolumeRouter(cfg.volumes().stream().map(v -> v.path()).toList(),
              cfg.refusesOutsideVolumes(), exempt));
      InjectedFiles.write(cfg);
      join(environment, "preparing the session environment").replace(
          SessionEnvironment.compose(cfg.environment(), cfg.hostEnvironment(), System.getenv()));
      HostValues.install(cfg, app.properties());
      timer.mark("shields");
      main = AppLauncher.resolve(app.mainClass(), ClassLoader.getSystemClassLoader());
      timer.report(err);
      if (cfg.consoleKey().isPresent()) {
        // Last step before main: from here on, stdout and stderr leave as encrypted records.
        io.sconej.console.ConsoleShield.install(cfg.consoleKey().get());
        ViolationAbort.consoleProtected();
      } else if (!"unprotected".equals(cfg.console())) {
        throw new LaunchException(3, "the session asks for a protected console but the CAS"
            + " released no console key");
      }
    } catch (LaunchException e) {
      exit(err, errors, debug, e, e.getMessage(), e.exitCode());
      return;
    } catch (AttestationException e) {
      exit(err, errors, debug, e,
          "attestation refused: " + e.reason() + ": " + e.getMessage(), 3);
      return;
    } catch (io.sconej.fileshield.IntegrityViolationException e) {
      exit(err, errors, debug, e, e.getMessage(), 3);
      return;
    } catch (io.sconej.fileshield.VolumeInUseException e) {
      exit(err, errors, debug, e, e.getMessage(), 2); // a --volume directory another writer has
      return;
    } catch (CasUnreachableException e) {
      exit(err, errors, debug, e, "CAS unreachable: " + e.getMessage(), 4);
      return;
    } catch (CasResponseException e) {
      exit(err, errors, debug, e, "the CAS refused: " + e.getMessage(), 4);
      return;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      exit(err, errors, debug, e, "cannot start the enclave: " + (e.getMessage() == null
          ? "internal error (SCONEJ_DEBUG=1 prints details)" : e.getMessage()), 1);
      return;
    }
    main.invokeExact(app.argv());
  }

  /** Prints the one error line, without any released secret, and exits with {@code code}. */
  private static void exit(PrintStream err, LaunchErrors errors, boolean debug, Throwable e,
      String message, int code) {
    err.println(errors.clean("sconej run: " + message));
    if (debug) {
      // Host-controlled diagnostics: each line of the trace without released values.
      java.io.StringWriter trace = new java.io.StringWriter();
      e.printStackTrace(new java.io.PrintWriter(trace));
      trace.toString().lines().forEach(line -> err.println(errors.clean(line)));
    }
    err.flush();
    System.exit(code);
  }

  private static ServiceConfig attest(LaunchArgs la, CasClient cas,
      FutureTask<Measurement> measuring, FutureTask<SimPlatform> platformTask)
      throws LaunchException, IOException, GeneralSecurityException {
    if (la.mode() != TeeMode.SIM) {
      throw new LaunchException(2, "mode " + la.mode().id()
          + " needs a TEE; this machine runs sim mode only");
    }
    if (la.platformDir() == null) {
      throw new LaunchException(2, "sim mode needs --platform DIR (sconej platform init)");
    }
    SimPlatform platform;
    try {
      platform = join(platformTask, "loading the sim platform");
    } catch (IOException | GeneralSecurityException e) { // missing, corrupt or unreadable: input
      throw new LaunchException(2, "--platform " + la.platformDir() + ": "
          + (e instanceof java.nio.file.NoSuchFileException n ? n.getFile()
              + " does not exist (sconej platform init --dir DIR)" : e.getMessage()));
    }
    try {
      return cas.attest(la.configId(), reportData ->
          SimEvidence.create(platform, join(measuring, "the measurement").value(),
              SimEvidence.NO_SIGNER, reportData));
    } catch (AttestationException e) {
      if (e.reason() == AttestationException.Reason.BAD_SIGNATURE) {
        // Not checked before signing (a probe signature on every start): the likely cause.
        try {
          platform.checkKeyMatchesCertificate(la.platformDir());
        } catch (IOException mismatch) {
          throw new AttestationException(e.reason(),
              "the CAS refused the evidence: " + mismatch.getMessage(), e);
        }
      }
      throw e;
    }
  }

  /**
   * What stays reachable on the host under {@code default_region: refuse}: what the JVM itself
   * reads (its Java home, the runtime and application class path, the kernel's random devices,
   * this process's /proc entries and its cgroup limits). Host-controlled and unprotected.
   */
  static List<String> exemptPaths(LaunchArgs la) {
    List<String> out = new java.util.ArrayList<>();
    out.add(System.getProperty("java.home"));
    la.runtimeClassPath().forEach(p -> out.add(p.toString()));
    la.appClassPath().forEach(p -> out.add(p.toString()));
    out.addAll(List.of("/dev/random", "/dev/urandom", "/proc/self", "/sys/fs/cgroup"));
    return out;
  }

  /**
   * With {@code SCONEJ_DEBUG=1} on the host ({@code --debug 1}), the stack trace of a start-up
   * failure, after its one line. Launch errors only: this runs before the application, and a
   * failure's message never holds a released value.
   */
  /** The name of the sim-mode measurement cache in the platform directory. */
  static final String MEASURE_CACHE = "measure-cache";

  /**
   * Measures this enclave. In sim mode with a platform directory, unchanged Java home files'
   * hashes come from the platform directory's cache ({@link FileHashCache}: in sim mode the host
   * controls the measuring code anyway), which is then updated.
   */
  private static Measurement measure(LaunchArgs la, LaunchSettings settings, PrintStream err)
      throws IOException {
    Path javaHome = Path.of(System.getProperty("java.home"));
    if (settings.mode() != TeeMode.SIM || la.platformDir() == null) {
      return settings.measure(javaHome, la.runtimeClassPath(), la.appClassPath());
    }
    Path file = la.platformDir().resolve(MEASURE_CACHE);
    FileHashCache cache = FileHashCache.load(file);
    Measurement m = settings.measure(javaHome, la.runtimeClassPath(), la.appClassPath(), cache);
    try {
      cache.save();
    } catch (IOException | RuntimeException e) {
      err.println("sconej: note: cannot update the measurement cache " + file + " ("
          + e.getClass().getSimpleName() + "); the next start measures every file again");
    }
    return m;
  }

  /**
   * Waits for work done on another thread ({@code what} names it in messages); its failure
   * surfaces as the IOException or GeneralSecurityException it was.
   */
  private static <T> T join(FutureTask<T> task, String what)
      throws IOException, GeneralSecurityException {
    try {
      return task.get();
    } catch (ExecutionException e) {
      switch (e.getCause()) {
        case IOException io -> throw io;
        case GeneralSecurityException g -> throw g;
        default -> throw new IOException(what + " failed: " + e.getCause(), e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + what, e);
    }
  }

  /** Waits for the launch check; its refusal surfaces as the LaunchException it was. */
  private static void joinCheck(FutureTask<Void> check) throws LaunchException, IOException {
    try {
      check.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof LaunchException le) {
        throw le;
      }
      throw new IOException("checking the JVM's configuration failed: " + e.getCause(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while checking the JVM's configuration", e);
    }
  }

  /** The largest {@code --cas-ca} file read (as the CLI's PEM limit). */
  static final int CAS_CA_MAX_BYTES = 64 * 1024;

  /**
   * Reads {@code --cas-ca}: a regular file of at most {@link #CAS_CA_MAX_BYTES} ({@link
   * SmallFiles}: a FIFO or a device would block the start or never end) holding a certificate.
   *
   * @throws LaunchException (exit 2) naming the file and what is wrong with it
   */
  static X509Certificate readCert(Path pem) throws LaunchException {
    byte[] der;
    try {
      der = SmallFiles.read(pem, "--cas-ca", CAS_CA_MAX_BYTES);
    } catch (IOException e) {
      throw new LaunchException(2, e.getMessage());
    }
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new java.io.ByteArrayInputStream(der));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new LaunchException(2, "--cas-ca " + pem + " holds no X.509 certificate");
    }
  }
}
