package io.sconej.cli;

import io.sconej.attestation.TeeMode;
import io.sconej.attestation.sim.SimPlatform;
import io.sconej.cas.CasConfig;
import io.sconej.cas.CasServer;
import io.sconej.cas.DcapEvidenceVerifier;
import io.sconej.cas.StoreIntegrityException;
import io.sconej.verifier.dcap.DcapCollateral;
import io.sconej.verifier.dcap.DcapVerifier;
import io.sconej.verifier.sim.SimEvidenceVerifier;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sconej cas serve --data DIR [--port P] [--bind ADDR] [--trust-platform CERT.pem ...]
 * [--dcap-collateral COLLATERAL.json ...]}: runs the CAS until the process is stopped
 * (SIGTERM/SIGINT close it cleanly).
 *
 * <p>Prints {@code listening: https://ADDR:PORT} and {@code ca: DIR/cas-ca.pem} on stdout. Sim
 * evidence is accepted only from the platforms given with {@code --trust-platform} (none: no sim
 * evidence at all). SGX (gramine-sgx) and TDX quotes are accepted only with {@code
 * --dcap-collateral} files (dcap-qvl JSON: TCB info, QE identity, CRLs, one per platform FMSPC),
 * verified against the built-in Intel SGX root key; collateral is not fetched or refreshed. Exit 3
 * if the store in DIR was tampered with, 2 for bad arguments (also a {@code --bind} that is not an
 * address of this machine), 1 if the port is in use or the directory cannot be used.
 */
@Command(
    name = "cas",
    description = "The configuration and attestation service.",
    subcommands = {CasCommand.Serve.class})
final class CasCommand extends CliCommand {

  @Command(name = "serve", description = "Run the CAS until the process is stopped (SIGTERM or"
      + " SIGINT close it cleanly); prints listening: https://ADDR:PORT and ca: FILE.")
  static final class Serve extends CliCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "DIR",
        description = "The CAS store directory (created if missing).")
    Path data;

    @Option(names = "--port", paramLabel = "P", defaultValue = "8443",
        description = "0 to 65535 (0: any free port); default ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", description = "An IP address or host name of"
        + " this machine; default 127.0.0.1.")
    String bind;

    @Option(names = "--trust-platform", paramLabel = "CERT.pem",
        description = "Accept sim evidence of this platform (repeatable; none: no sim evidence).")
    List<Path> trustPlatform = new ArrayList<>();

    @Option(names = "--dcap-collateral", paramLabel = "FILE.json",
        description = "dcap-qvl collateral for SGX and TDX quotes (repeatable; at most 4 MiB).")
    List<Path> dcapCollateral = new ArrayList<>();

    @Override
    public Integer call() throws CliException {
      return serve(this, out(), err());
    }
  }

  /**
   * {@code --bind ADDR} must be an IP address or a host name that resolves to an address of this
   * machine (a usage error, exit 2, naming it otherwise); whether the port is free is checked when
   * the CAS starts (exit 1).
   */
  static String checkBind(String bind) throws CliException {
    if (bind.isBlank()) {
      throw CliException.usage("--bind needs an IP address or host name of this machine");
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw CliException.usage("--bind " + bind + ": not an IP address or a host name that"
          + " resolves");
    }
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(address, 0));
    } catch (IOException e) {
      throw CliException.usage("--bind " + bind + ": not an address of this machine ("
          + e.getMessage() + ")");
    }
    return bind;
  }

  static int serve(Serve a, PrintStream out, PrintStream err) throws CliException {
    Path data = a.data;
    int port = a.port;
    if (port < 0 || port > 65535) {
      throw CliException.usage("--port must be between 0 and 65535, is " + port);
    }
    if (Files.exists(data) && !Files.isDirectory(data)) {
      throw CliException.usage("--data " + data + " is not a directory");
    }
    CasConfig.Builder b = CasConfig.builder(data).port(port);
    if (a.bind != null) {
      b.bindAddress(checkBind(a.bind));
    }
    List<X509Certificate> platforms = new ArrayList<>();
    for (Path f : a.trustPlatform) {
      CliFiles.check(f, "--trust-platform", CliFiles.PEM_MAX_BYTES);
      try {
        platforms.add(SimPlatform.readCertificate(f));
      } catch (IOException e) {
        throw CliException.usage("--trust-platform: " + e.getMessage());
      }
    }
    if (!platforms.isEmpty()) {
      try {
        b.verifier(TeeMode.SIM, SimEvidenceVerifier.create(platforms));
      } catch (IllegalArgumentException e) {
        throw CliException.usage("--trust-platform: " + e.getMessage());
      }
    }
    List<DcapCollateral> collateral = new ArrayList<>();
    for (Path f : a.dcapCollateral) {
      String json = CliFiles.readString(f, "--dcap-collateral", CliFiles.COLLATERAL_MAX_BYTES);
      try {
        collateral.add(DcapCollateral.fromDcapQvlJson(json));
      } catch (GeneralSecurityException e) {
        throw CliException.usage("--dcap-collateral " + f + ": " + e.getMessage());
      }
    }
    if (!collateral.isEmpty()) {
      DcapVerifier dcap = DcapVerifier.createForIntelRoot();
      b.verifier(
          TeeMode.GRAMINE_SGX, DcapEvidenceVerifier.create(TeeMode.GRAMINE_SGX, dcap, collateral));
      b.verifier(TeeMode.TDX, DcapEvidenceVerifier.create(TeeMode.TDX, dcap, collateral));
    }
    CasConfig config = b.build();
    CasServer server;
    try {
      server = CasServer.start(config);
    } catch (StoreIntegrityException e) {
      throw CliException.violation("refusing to start: " + e.getMessage());
    } catch (IOException e) {
      throw new CliException(ExitCodes.OTHER, "cannot start: " + e.getMessage());
    }
    err.println(
        "WARNING: sim-mode CAS: the store key is a file in "
            + data
            + " (store.key); anyone who can read it can decrypt the store (docs/cas-store.md)");
    if (!platforms.isEmpty()) {
      err.println(TeeMode.SIM.protectionStatement());
    }
    out.println("listening: https://" + config.bindAddress() + ":" + server.port());
    out.println("ca: " + data.resolve(CasServer.CA_FILE).toAbsolutePath());
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    server.close();
                  } catch (IOException e) {
                    System.err.println("sconej cas: error while stopping: " + e.getMessage());
                  }
                  stopped.countDown();
                }));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return ExitCodes.OK;
  }
}
