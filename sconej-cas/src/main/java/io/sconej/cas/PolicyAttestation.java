package io.sconej.cas;

import io.sconej.verifier.AttestationPolicy;
import io.sconej.attestation.TeeMode;
import io.sconej.verifier.Toleration;
import io.sconej.cas.PolicyYaml.Field;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A service's {@code attestation} section (docs/policy.md), validated so that the service can
 * attest at all: besides the syntax, combinations that no evidence could ever satisfy are refused
 * at upload, naming the line, rather than accepted and refused at every attestation.
 *
 * @param measurements allowed measurements (lower-case hex)
 * @param signers allowed signers (lower-case hex)
 * @param modes TEE modes the service may attest in
 * @param constraint measurements, signers and the session's tolerations
 */
record PolicyAttestation(
    Set<String> measurements,
    Set<String> signers,
    Set<TeeMode> modes,
    AttestationPolicy constraint) {
  private static final Pattern HEX = Pattern.compile("([0-9a-f]{2}){16,64}");
  private static final Set<String> FIELDS = Set.of("measurements", "signers", "modes");

  /**
   * Parses {@code att} under the session's tolerations; the could-never-attest rules apply only to
   * an {@code upload} (a stored policy was accepted under the rules of its time).
   */
  static PolicyAttestation parse(Field att, Set<String> tolerate, boolean upload) {
    Map<String, Field> a = att.map(FIELDS);
    Set<String> measurements = hexes(a.get("measurements"));
    Set<String> signers = hexes(a.get("signers"));
    if (measurements.isEmpty() && signers.isEmpty()) {
      throw att.error("name at least one allowed measurement or signer");
    }
    Set<TeeMode> modes = modes(a.get("modes"), tolerate, upload);
    if (upload) {
      attainable(a.get("measurements"), modes, false);
      attainable(a.get("signers"), modes, true);
    }
    AttestationPolicy.Builder constraint = AttestationPolicy.builder();
    HexFormat hex = HexFormat.of();
    measurements.forEach(x -> constraint.allowMeasurement(hex.parseHex(x)));
    signers.forEach(x -> constraint.allowSigner(hex.parseHex(x)));
    tolerate.forEach(t -> constraint.tolerate(Toleration.parse(t)));
    return new PolicyAttestation(measurements, signers, modes, constraint.build());
  }

  /**
   * A service's {@code attestation.modes} (default: the hardware modes). Refuses an empty list and
   * {@code sim} without {@code tolerate: [simulation]}: such a service could never attest in that
   * mode, since the constraint refuses sim evidence first ({@code SIMULATION_NOT_TOLERATED}).
   */
  private static Set<TeeMode> modes(Field f, Set<String> tolerate, boolean upload) {
    Set<TeeMode> modes = new LinkedHashSet<>();
    if (f == null) {
      modes.addAll(List.of(TeeMode.GRAMINE_SGX, TeeMode.TDX, TeeMode.SEV_SNP));
      return modes;
    }
    for (Field mf : f.list()) {
      TeeMode m;
      try {
        m = TeeMode.parse(mf.string());
      } catch (IllegalArgumentException e) {
        throw mf.error(e.getMessage());
      }
      if (upload && m == TeeMode.SIM && !tolerate.contains("simulation")) {
        throw mf.error(
            "mode sim can never attest without 'security: {tolerate: [simulation]}'"
                + " (sim gives NO hardware protection)");
      }
      modes.add(m);
    }
    if (upload && modes.isEmpty()) {
      throw f.error("name at least one mode, or leave modes out for the hardware modes");
    }
    return modes;
  }

  /**
   * Refuses a measurement (or signer) that no evidence of the service's modes can carry: sim and
   * gramine-sgx measurements and signers are 32 bytes, tdx and sev-snp measurements 48 bytes, and
   * tdx and sev-snp evidence has no signer.
   */
  private static void attainable(Field list, Set<TeeMode> modes, boolean signer) {
    if (list == null) {
      return;
    }
    for (Field h : list.list()) {
      int bytes = h.string().length() / 2;
      boolean fits =
          modes.stream()
              .anyMatch(
                  m ->
                      switch (m) {
                        case SIM, GRAMINE_SGX -> bytes == 32;
                        case TDX, SEV_SNP -> !signer && bytes == 48;
                      });
      if (!fits) {
        throw h.error(
            "no evidence of the modes "
                + String.join(", ", modes.stream().map(TeeMode::id).toList())
                + " carries a "
                + bytes
                + "-byte "
                + (signer ? "signer" : "measurement")
                + (signer
                    ? " (only sim and gramine-sgx have 32-byte signers)"
                    : " (sim and gramine-sgx: 32 bytes; tdx and sev-snp: 48 bytes)"));
      }
    }
  }

  private static Set<String> hexes(Field f) {
    Set<String> out = new LinkedHashSet<>();
    if (f == null) {
      return out;
    }
    for (Field h : f.list()) {
      String s = h.string().toLowerCase(Locale.ROOT);
      if (!HEX.matcher(s).matches()) {
        throw h.error("expected 32 to 128 hex digits");
      }
      if (s.chars().allMatch(c -> c == '0')) {
        throw h.error("an all-zero value stands for 'none' and cannot be allowed");
      }
      out.add(s);
    }
    return out;
  }
}
