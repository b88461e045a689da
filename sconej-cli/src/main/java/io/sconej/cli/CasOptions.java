package io.sconej.cli;

import io.sconej.cas.client.CasConnection;
import io.sconej.cas.client.CasUnreachableException;
import io.sconej.cas.client.Pem;
import io.sconej.runtime.CasAddress;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * The options shared by commands that talk to a CAS: {@code --cas https://HOST[:PORT]} (or {@code
 * HOST:PORT}; a port outside 1..65535, another scheme or a path is a usage error naming the
 * address), {@code --cas-ca CA.pem} (the CAS certificate that is pinned) and, for owners, {@code
 * --identity owner.pem} (PKCS#8 EC key and certificate in one PEM file). Each file is a regular
 * file of at most {@link CliFiles#PEM_MAX_BYTES}.
 */
final class CasOptions {
  final String host;
  final int port;
  final X509Certificate casCa;

  private CasOptions(String host, int port, X509Certificate casCa) {
    this.host = host;
    this.port = port;
    this.casCa = casCa;
  }

  /** Checks {@code --cas} and reads {@code --cas-ca}; both are required. */
  static CasOptions parse(String cas, Path casCa) throws CliException {
    if (cas == null) {
      throw CliException.usage("option --cas is required");
    }
    if (casCa == null) {
      throw CliException.usage("option --cas-ca is required");
    }
    CasAddress a;
    try {
      a = CasAddress.parse(cas);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
    String pem = CliFiles.readString(casCa, "--cas-ca", CliFiles.PEM_MAX_BYTES);
    try {
      return new CasOptions(a.host(), a.port(), Pem.certificate(pem));
    } catch (GeneralSecurityException e) {
      throw CliException.usage("--cas-ca " + casCa + ": " + e.getMessage());
    }
  }

  CasConnection connect(Optional<CasConnection.ClientIdentity> id) throws CliException {
    try {
      return CasConnection.create(host, port, casCa, id);
    } catch (GeneralSecurityException e) {
      throw new CliException(ExitCodes.OTHER, "cannot set up TLS: " + e.getMessage());
    }
  }

  /** Loads an owner identity file. */
  static CasConnection.ClientIdentity identity(Path file) throws CliException {
    if (file == null) {
      throw CliException.usage("option --identity is required");
    }
    String text = CliFiles.readString(file, "identity", CliFiles.PEM_MAX_BYTES);
    try {
      PrivateKey k = Pem.ecPrivateKey(text);
      X509Certificate c = Pem.certificate(text);
      return new CasConnection.ClientIdentity(new KeyPair(c.getPublicKey(), k), c);
    } catch (GeneralSecurityException e) {
      throw CliException.usage(
          file + ": not an identity (EC private key and certificate): " + e.getMessage());
    }
  }

  /** Maps a transport failure to exit 4 (unreachable or refusing). */
  static CliException failure(IOException e) {
    if (e instanceof CasUnreachableException) {
      return CliException.peer(e.getMessage());
    }
    return CliException.peer("CAS connection failed: " + e.getMessage());
  }
}
