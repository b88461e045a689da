package io.sconej.cli;

import io.sconej.attestation.AttestationException;
import io.sconej.attestation.sim.SimEvidence;
import io.sconej.attestation.sim.SimPlatform;
import io.sconej.cas.client.CasClient;
import io.sconej.cas.client.ReleasedSecret;
import io.sconej.cas.client.ServiceConfig;
import io.sconej.cas.client.VolumeConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sconej attest}: a debugging client that performs the runtime's attestation handshake in
 * SIM mode (evidence signed by the platform key in {@code --platform DIR}) and prints what the CAS
 * released. Secret values, volume keys and environment values are redacted unless {@code
 * --show-secrets}.
 *
 * <pre>
 * sconej attest --cas URL --cas-ca CA.pem --config-id SESSION/SERVICE --platform DIR
 *               --measurement HEX [--signer HEX] [--show-secrets]
 * </pre>
 *
 * Exit 3 if the CAS refuses attestation (the reason code is printed), 4 if it is unreachable, 2 for
 * bad input.
 */
@Command(
    name = "attest",
    description = "Debugging client: attest in sim mode and print what the CAS releases (values"
        + " redacted unless --show-secrets).")
final class AttestCommand extends CliCommand implements Callable<Integer> {
  private static final String REDACTED = "(redacted; --show-secrets)";

  @Option(names = "--cas", required = true, paramLabel = "URL",
      description = "https://HOST[:PORT] or HOST:PORT.")
  String casUrl;

  @Option(names = "--cas-ca", required = true, paramLabel = "CA.pem",
      description = "The CAS certificate to pin.")
  Path casCaFile;

  @Option(names = "--config-id", required = true, paramLabel = "SESSION/SERVICE")
  String configId;

  @Option(names = "--platform", required = true, paramLabel = "DIR",
      description = "The sim platform (sconej platform init).")
  Path platformDir;

  @Option(names = "--measurement", required = true, paramLabel = "HEX",
      description = "64 hex digits.")
  String measurementHex;

  @Option(names = "--signer", paramLabel = "HEX", description = "64 hex digits.")
  String signerHex;

  @Option(names = "--show-secrets", description = "Print released values.")
  boolean showSecrets;

  @Override
  public Integer call() throws CliException {
    PrintStream out = out();
    PrintStream err = err();
    CasOptions cas = CasOptions.parse(casUrl, casCaFile);
    byte[] measurement = hex32(measurementHex, "--measurement");
    byte[] signer = signerHex != null ? hex32(signerHex, "--signer") : SimEvidence.NO_SIGNER;
    SimPlatform platform = PlatformCommand.load(platformDir, "--platform");
    err.println(io.sconej.attestation.TeeMode.SIM.protectionStatement());
    ServiceConfig cfg;
    try (CasClient c = CasClient.create(cas.host, cas.port, cas.casCa)) {
      cfg = c.attest(configId, rd -> SimEvidence.create(platform, measurement, signer, rd));
    } catch (AttestationException e) {
      throw CliException.violation("attestation refused: " + e.reason());
    } catch (GeneralSecurityException e) {
      throw new CliException(ExitCodes.OTHER, "attestation failed: " + e.getMessage());
    } catch (IOException e) {
      throw CasOptions.failure(e);
    }
    print(cfg, showSecrets, out);
    return ExitCodes.OK;
  }

  private static void print(ServiceConfig c, boolean show, PrintStream out) {
    out.println("session: " + c.session());
    out.println("service: " + c.service());
    out.println("session-hash: " + c.sessionHash());
    out.println(
        "command: "
            + (show
                ? String.join(" ", c.command())
                : c.command().size() + " arguments " + REDACTED));
    for (var e : new TreeMap<>(c.environment()).entrySet()) {
      out.println("env: " + e.getKey() + "=" + (show ? e.getValue() : REDACTED));
    }
    for (String f : new TreeMap<>(c.files()).keySet()) {
      out.println("file: " + f + (show ? "\n" + c.files().get(f) : " " + REDACTED));
    }
    HexFormat hex = HexFormat.of();
    for (VolumeConfig v : c.volumes()) {
      out.println(
          "volume: "
              + v.name()
              + " "
              + v.path()
              + " "
              + v.kind()
              + " key "
              + (show
                  ? hex.formatHex(v.key().bytes(io.sconej.crypto.InsecureSecretAccess.get()))
                  : REDACTED)
              + " committed "
              + v.committedTag().map(hex::formatHex).orElse("-")
              + " pending "
              + v.pendingTag().map(hex::formatHex).orElse("-"));
    }
    for (Map.Entry<String, ReleasedSecret> e : new TreeMap<>(c.secrets()).entrySet()) {
      out.println(
          "secret: "
              + e.getKey()
              + " ("
              + e.getValue().kind()
              + ")"
              + (show
                  ? " " + e.getValue().value() + e.getValue().privateKeyPem().orElse("")
                  : " " + REDACTED));
    }
    out.println("ethreads: " + c.ethreads());
    out.println("console: " + c.console());
  }

  private static byte[] hex32(String s, String opt) throws CliException {
    try {
      byte[] b = HexFormat.of().parseHex(s);
      if (b.length != 32) {
        throw CliException.usage(opt + " must be 64 hex digits (32 bytes)");
      }
      return b;
    } catch (IllegalArgumentException e) {
      throw CliException.usage(opt + " is not hex");
    }
  }
}
