package io.sconej.cas;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands {@code $$SCONEJ::name$$} (the secret's value) and {@code $$SCONEJ::name:key$$} (its
 * private key PEM, ec and x509 only). The policy parser already refused undefined names.
 */
final class Placeholders {
  private static final Pattern P = Pattern.compile("\\$\\$SCONEJ::([A-Za-z0-9_-]+)(:key)?\\$\\$");

  private Placeholders() {}

  static String expand(String s, Map<String, GeneratedSecret> secrets) {
    Matcher m = P.matcher(s);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      GeneratedSecret g = secrets.get(m.group(1));
      String v =
          g == null
              ? m.group()
              : m.group(2) == null ? g.value() : g.privateKeyPem().orElse(m.group());
      m.appendReplacement(b, Matcher.quoteReplacement(v));
    }
    m.appendTail(b);
    return b.toString();
  }
}
