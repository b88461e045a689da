package io.sconej.runtime;

import io.sconej.cas.client.ReleasedSecret;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Makes the enclave's start-up error lines safe to print on the host's stderr, which is plaintext
 * until the console shield is installed: once the CAS has released the session's secrets, every
 * occurrence of a secret's value or private key (and of each line of a multi-line one) in a
 * message is replaced by its placeholder {@code $$SCONEJ::NAME$$} (or {@code
 * $$SCONEJ::NAME:key$$}), and the message is folded onto one line.
 *
 * <p>Restrictions: a message holding only a part of a secret shorter than {@value #MIN_PART} code
 * units, or a transformed value (e.g. re-encoded), is not recognised. The launch path therefore
 * does not put values from the released configuration into messages in the first place (see
 * {@link AppCommand}); this is the second line of defence.
 */
final class LaunchErrors {
  /** The shortest line of a multi-line secret that is redacted on its own. */
  static final int MIN_PART = 8;

  private record Needle(String text, String placeholder) {}

  private List<Needle> needles = List.of();

  /** From now on, redacts the values of {@code secrets} (the configuration the CAS released). */
  void secrets(Map<String, ReleasedSecret> secrets) {
    List<Needle> l = new ArrayList<>();
    secrets.forEach(
        (name, s) -> {
          add(l, s.value(), "$$SCONEJ::" + name + "$$");
          s.privateKeyPem().ifPresent(k -> add(l, k, "$$SCONEJ::" + name + ":key$$"));
        });
    // Longest first, so that a whole value is replaced before any of its lines.
    l.sort(Comparator.comparingInt((Needle n) -> n.text().length()).reversed());
    needles = List.copyOf(l);
  }

  private static void add(List<Needle> l, String value, String placeholder) {
    if (value.isEmpty()) {
      return;
    }
    l.add(new Needle(value, placeholder));
    for (String line : value.split("\r?\n")) {
      if (line.length() >= MIN_PART && !line.equals(value) && !line.startsWith("-----")) {
        l.add(new Needle(line, placeholder));
      }
    }
  }

  /** {@code message} with every known secret replaced by its placeholder, on one line. */
  String clean(String message) {
    String m = message;
    for (Needle n : needles) {
      m = m.replace(n.text(), n.placeholder());
    }
    return m.replaceAll("[\\r\\n]+", " ");
  }
}
