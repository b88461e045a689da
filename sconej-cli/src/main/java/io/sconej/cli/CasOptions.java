package io.sconej.cli;

import io.sconej.cas.client.CasConnection;
import io.sconej.cas.client.CasUnreachableException;
import io.sconej.cas.client.Pem;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * The options shared by commands that talk to a CAS: {@code --cas https://HOST:PORT}, {@code
 * --cas-ca CA.pem} (the CAS certificate that is pinned) and, for owners, {@code --identity
 * owner.pem} (PKCS#8 EC key and certificate in one PEM file).
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

  static CasOptions parse(Args a) throws CliException {
    String url = a.required("cas");
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      throw CliException.usage("--cas: not a URL: " + url);
    }
    if (!"https".equals(u.getScheme()) || u.getHost() == null) {
      throw CliException.usage("--cas: expected https://HOST[:PORT], got " + url);
    }
    Path ca = Path.of(a.required("cas-ca"));
    try {
      return new CasOptions(
          u.getHost(), u.getPort() < 0 ? 8443 : u.getPort(), Pem.certificate(read(ca)));
    } catch (GeneralSecurityException e) {
      throw CliException.usage(ca + ": " + e.getMessage());
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
    String text = read(file);
    try {
      PrivateKey k = Pem.ecPrivateKey(text);
      X509Certificate c = Pem.certificate(text);
      return new CasConnection.ClientIdentity(new KeyPair(c.getPublicKey(), k), c);
    } catch (GeneralSecurityException e) {
      throw CliException.usage(
          file + ": not an identity (EC private key and certificate): " + e.getMessage());
    }
  }

  static String read(Path file) throws CliException {
    try {
      return Files.readString(file);
    } catch (NoSuchFileException e) {
      throw CliException.usage(file + ": no such file");
    } catch (IOException e) {
      throw CliException.usage(file + ": cannot read: " + e.getMessage());
    }
  }

  /** Maps a transport failure to exit 4 (unreachable) or 1. */
  static CliException failure(IOException e) {
    if (e instanceof CasUnreachableException) {
      return CliException.peer(e.getMessage());
    }
    return CliException.peer("CAS connection failed: " + e.getMessage());
  }
}
