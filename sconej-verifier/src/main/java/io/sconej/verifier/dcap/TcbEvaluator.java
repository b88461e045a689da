package io.sconej.verifier.dcap;

import io.sconej.verifier.dcap.DcapVerificationException.Reason;
import io.sconej.verifier.dcap.TcbInfo.IsvLevel;
import io.sconej.verifier.dcap.TcbInfo.Level;
import io.sconej.verifier.dcap.TcbInfo.ModuleIdentity;
import io.sconej.verifier.dcap.TcbInfo.TdxModule;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** TCB level matching and status convergence, following Intel's quote verification library. */
final class TcbEvaluator {
  private TcbEvaluator() {}

  /** A status and the advisories that explain it. */
  record Outcome(TcbStatus status, List<String> advisoryIds) {}

  /**
   * Selects the first (highest) TCB level whose SGX component SVNs and PCE SVN are all at most the
   * PCK certificate's and, for TDX, whose TDX component SVNs are at most TEE_TCB_SVN's (from index
   * 2 when the TDX module major version, TEE_TCB_SVN[1], is non-zero: the module's own SVN is then
   * judged by its module identity).
   */
  static Outcome platform(TcbInfo info, PckExtension pck, Optional<byte[]> teeTcbSvn)
      throws DcapVerificationException {
    for (Level level : info.levels()) {
      boolean ok = level.pceSvn() <= pck.pceSvn();
      for (int i = 0; i < 16 && ok; i++) {
        ok = level.sgxSvns()[i] <= pck.cpuSvns()[i];
      }
      if (ok && teeTcbSvn.isPresent()) {
        byte[] svn = teeTcbSvn.get();
        for (int i = (svn[1] & 0xff) > 0 ? 2 : 0; i < 16 && ok; i++) {
          ok = level.tdxSvns()[i] <= (svn[i] & 0xff);
        }
      }
      if (ok) {
        return new Outcome(level.status(), level.advisoryIds());
      }
    }
    throw new DcapVerificationException(
        Reason.TCB_LEVEL_NOT_FOUND,
        "no tcbInfo.tcbLevels entry is at or below the platform's SVNs (PCK certificate"
            + (teeTcbSvn.isPresent() ? ", TEE_TCB_SVN" : "")
            + ")");
  }

  /**
   * Checks the TDX module (MRSIGNERSEAM, SEAM attributes) and returns its TCB status, or empty when
   * the tcbInfo has no module identities or the module major version is 0.
   */
  static Optional<Outcome> tdxModule(
      TcbInfo info, byte[] teeTcbSvn, byte[] mrSignerSeam, byte[] seamAttributes)
      throws DcapVerificationException {
    int version = teeTcbSvn[1] & 0xff;
    String id = String.format("TDX_%02X", version);
    if (version == 0 || info.moduleIdentities().isEmpty()) {
      checkModule(info.tdxModule().orElseThrow(), mrSignerSeam, seamAttributes, "tdxModule");
      return Optional.empty();
    }
    for (ModuleIdentity m : info.moduleIdentities()) {
      if (m.id().equalsIgnoreCase(id)) {
        checkModule(m.module(), mrSignerSeam, seamAttributes, "tdxModuleIdentities " + id);
        for (IsvLevel l : m.levels()) {
          if (l.isvSvn() <= (teeTcbSvn[0] & 0xff)) {
            return Optional.of(new Outcome(l.status(), l.advisoryIds()));
          }
        }
        throw new DcapVerificationException(
            Reason.TCB_LEVEL_NOT_FOUND,
            "TDX module "
                + id
                + " SVN "
                + (teeTcbSvn[0] & 0xff)
                + " is below every level of its module identity");
      }
    }
    throw new DcapVerificationException(
        Reason.TCB_LEVEL_NOT_FOUND, "tcbInfo has no TDX module identity " + id);
  }

  private static void checkModule(TdxModule m, byte[] mrSignerSeam, byte[] attributes, String what)
      throws DcapVerificationException {
    if (!Arrays.equals(m.mrsigner(), mrSignerSeam)) {
      throw new DcapVerificationException(
          Reason.TDX_MODULE_MISMATCH, "MRSIGNERSEAM differs from " + what + ".mrsigner");
    }
    for (int i = 0; i < 8; i++) {
      if (((attributes[i] ^ m.attributes()[i]) & m.attributesMask()[i]) != 0) {
        throw new DcapVerificationException(
            Reason.TDX_MODULE_MISMATCH, "SEAMATTRIBUTES differ from " + what + ".attributes");
      }
    }
  }

  /** The QE's TCB status: the first level at or below its ISVSVN, else OutOfDate (as Intel). */
  static Outcome qe(QeIdentity identity, int qeIsvSvn) {
    for (IsvLevel l : identity.levels()) {
      if (l.isvSvn() <= qeIsvSvn) {
        return new Outcome(l.status(), l.advisoryIds());
      }
    }
    return new Outcome(TcbStatus.OUT_OF_DATE, List.of());
  }

  /**
   * Converges the platform status with a component (QE or TDX module) status: a revoked component
   * is refused; an out-of-date component makes the result out of date; advisories are merged.
   */
  static Outcome converge(Outcome platform, Outcome component, String what)
      throws DcapVerificationException {
    TreeSet<String> advisories = new TreeSet<>(platform.advisoryIds());
    advisories.addAll(component.advisoryIds());
    TcbStatus s = platform.status();
    if (component.status() == TcbStatus.REVOKED) {
      throw new DcapVerificationException(Reason.TCB_REVOKED, what + " TCB level is Revoked");
    }
    if (component.status() == TcbStatus.OUT_OF_DATE) {
      s =
          switch (s) {
            case UP_TO_DATE, SW_HARDENING_NEEDED -> TcbStatus.OUT_OF_DATE;
            case CONFIGURATION_NEEDED, CONFIGURATION_AND_SW_HARDENING_NEEDED ->
                TcbStatus.OUT_OF_DATE_CONFIGURATION_NEEDED;
            default -> s;
          };
    }
    return new Outcome(s, List.copyOf(advisories));
  }
}
