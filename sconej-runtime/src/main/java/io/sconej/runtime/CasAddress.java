package io.sconej.runtime;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * Where a CAS listens, as given on a command line: {@code https://HOST[:PORT]} (port 8443 if
 * omitted) or {@code HOST:PORT}; HOST is a name, an IPv4 address or a bracketed IPv6 address.
 * Anything else (another scheme, a path, a query, user information, a port outside 1..65535) is
 * refused with a message that names the address.
 *
 * @param host the host name or address (IPv6 in brackets)
 * @param port 1 to 65535
 */
public record CasAddress(String host, int port) {
  /** The port of {@code https://HOST} without one. */
  public static final int DEFAULT_PORT = 8443;

  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.%]+\\]");

  /**
   * Parses a CAS address.
   *
   * @throws IllegalArgumentException one line naming the address and what is wrong with it
   */
  public static CasAddress parse(String s) {
    if (s.contains("://")) {
      URI u;
      try {
        u = new URI(s);
      } catch (URISyntaxException e) {
        throw bad(s, "not a URL");
      }
      if (!"https".equals(u.getScheme())) {
        throw bad(s, "the scheme must be https");
      }
      if (u.getRawUserInfo() != null || u.getRawQuery() != null || u.getRawFragment() != null
          || !(u.getRawPath() == null || u.getRawPath().isEmpty() || u.getRawPath().equals("/"))) {
        throw bad(s, "only https://HOST[:PORT], without a path, query or user");
      }
      String authority = u.getRawAuthority();
      if (authority == null) {
        throw bad(s, "no host");
      }
      int colon = authority.lastIndexOf(':');
      boolean hasPort = colon >= 0 && !authority.endsWith("]");
      return of(s, hasPort ? authority.substring(0, colon) : authority,
          hasPort ? authority.substring(colon + 1) : Integer.toString(DEFAULT_PORT));
    }
    int colon = s.lastIndexOf(':');
    if (colon < 0 || s.endsWith("]")) {
      throw bad(s, "no port");
    }
    return of(s, s.substring(0, colon), s.substring(colon + 1));
  }

  private static CasAddress of(String s, String host, String port) {
    if (!HOST.matcher(host).matches()) {
      throw bad(s, host.isEmpty() ? "no host" : "not a host name or address: '" + host + "'");
    }
    if (!PORT.matcher(port).matches()) {
      throw bad(s, "the port must be a number from 1 to 65535");
    }
    int p = Integer.parseInt(port);
    if (p < 1 || p > 65535) {
      throw bad(s, "port " + p + " is out of range 1..65535");
    }
    return new CasAddress(host, p);
  }

  private static IllegalArgumentException bad(String s, String why) {
    return new IllegalArgumentException("--cas: not a CAS address: '" + s + "' (" + why
        + "; expected https://HOST[:PORT] or HOST:PORT)");
  }
}
