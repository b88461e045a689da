package io.sconej.cas;

import java.net.Inet6Address;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The names an x509 secret's certificate may carry, checked when a policy is uploaded so that
 * issuing the certificate cannot fail later:
 *
 * <ul>
 *   <li>a subject alternative name from {@code dns} is an IPv4 literal in dotted-quad form (each
 *       part 0..255, no leading zeros), an IPv6 literal (no brackets or zone), both issued as IP
 *       address names, or a DNS name per RFC 1123 (labels of 1..63 letters, digits and hyphens, not
 *       starting or ending with a hyphen, at most 253 characters, the last label not all digits),
 *       optionally with {@code *} as its whole first label, issued as a DNS name;
 *   <li>a {@code common_name} is 1..64 characters (RFC 5280's upper bound) of letters, digits,
 *       space and {@code . _ - * @ : / ( )}, starting with a letter, digit or {@code *} and not
 *       ending with a space.
 * </ul>
 */
final class X509Names {
  /** Most {@code dns} entries of one secret. */
  static final int MAX_ALT_NAMES = 64;

  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern COMMON_NAME =
      Pattern.compile("[A-Za-z0-9*]([A-Za-z0-9 ._*@:/()-]{0,62}[A-Za-z0-9._*@:/()-])?");

  private X509Names() {}

  /** Whether {@code name} is an IPv4 or IPv6 literal (issued as an IP address name). */
  static boolean isIpLiteral(String name) {
    return IPV4.matcher(name).matches() || isIpv6(name);
  }

  /** Empty if {@code name} may be a subject alternative name, else why not. */
  static String altNameProblem(String name) {
    if (isIpLiteral(name)) {
      return "";
    }
    if (name.contains(":")) {
      return "not a valid IPv6 address: '" + printable(name) + "'";
    }
    if (name.length() > 253) {
      return "DNS names are at most 253 characters";
    }
    String[] labels = name.toLowerCase(Locale.ROOT).split("\\.", -1);
    for (int i = 0; i < labels.length; i++) {
      boolean wildcard = i == 0 && labels.length > 1 && labels[0].equals("*");
      if (!wildcard && !LABEL.matcher(labels[i]).matches()) {
        return "not a valid DNS name (RFC 1123) or IP address: '" + printable(name) + "'";
      }
    }
    if (labels[labels.length - 1].chars().allMatch(c -> c >= '0' && c <= '9')) {
      return "not a valid IPv4 address, nor a DNS name (its last label is all digits): '"
          + printable(name)
          + "'";
    }
    return "";
  }

  /** Empty if {@code cn} may be a subject common name, else why not. */
  static String commonNameProblem(String cn) {
    if (cn.isEmpty() || cn.length() > 64) {
      return "common names are 1 to 64 characters";
    }
    if (!COMMON_NAME.matcher(cn).matches()) {
      return "common names are letters, digits, space and . _ - * @ : / ( ), starting with a"
          + " letter, digit or * and not ending with a space";
    }
    return "";
  }

  private static boolean isIpv6(String name) {
    if (!name.contains(":") || !name.matches("[0-9A-Fa-f:.]+")) {
      return false;
    }
    try {
      return Inet6Address.ofLiteral(name) != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The name with anything outside printable ASCII replaced, for a one-line message. */
  private static String printable(String s) {
    String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
