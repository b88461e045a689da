package io.sconej.verifier.dcap;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Parsed Intel TCB info (versions 2 and 3, ids "SGX" and "TDX"); all fields required. */
record TcbInfo(
    String id,
    int version,
    Instant issueDate,
    Instant nextUpdate,
    byte[] fmspc,
    byte[] pceId,
    List<Level> levels,
    Optional<TdxModule> tdxModule,
    List<ModuleIdentity> moduleIdentities) {

  /** One platform TCB level: 16 SGX component SVNs, PCE SVN, 16 TDX SVNs (TDX only). */
  record Level(
      int[] sgxSvns, int pceSvn, int[] tdxSvns, TcbStatus status, List<String> advisoryIds) {}

  /** Expected TDX module signer and SEAM attributes (with mask). */
  record TdxModule(byte[] mrsigner, byte[] attributes, byte[] attributesMask) {}

  /** A TDX module identity ("TDX_01", ...) with its ISV SVN levels. */
  record ModuleIdentity(String id, TdxModule module, List<IsvLevel> levels) {}

  /** One ISV SVN level (QE identity, TDX module identity). */
  record IsvLevel(int isvSvn, TcbStatus status, List<String> advisoryIds) {}

  static TcbInfo parse(String json) throws DcapVerificationException {
    JsonObject o = JsonObject.of(JsonObject.parse(json, "tcbInfo"), "tcbInfo");
    String id = o.has("id") ? o.string("id") : "SGX";
    int version = (int) o.integer("version", 0, 100);
    if (version != 2 && version != 3) {
      throw JsonObject.fail("tcbInfo.version", "unsupported version " + version);
    }
    if (!id.equals("SGX") && !id.equals("TDX")) {
      throw JsonObject.fail("tcbInfo.id", "unknown id '" + id + "'");
    }
    List<Level> levels = new ArrayList<>();
    for (JsonObject l : o.objects("tcbLevels")) {
      levels.add(level(l, version, id.equals("TDX")));
    }
    if (levels.isEmpty()) {
      throw JsonObject.fail("tcbInfo.tcbLevels", "empty");
    }
    Optional<TdxModule> module = Optional.empty();
    List<ModuleIdentity> identities = new ArrayList<>();
    if (id.equals("TDX")) {
      module = Optional.of(module(o.object("tdxModule")));
      if (o.has("tdxModuleIdentities")) {
        for (JsonObject m : o.objects("tdxModuleIdentities")) {
          identities.add(new ModuleIdentity(m.string("id"), module(m), isvLevels(m)));
        }
      }
    }
    return new TcbInfo(
        id,
        version,
        o.instant("issueDate"),
        o.instant("nextUpdate"),
        o.hex("fmspc", 6),
        o.hex("pceId", 2),
        List.copyOf(levels),
        module,
        List.copyOf(identities));
  }

  private static TdxModule module(JsonObject m) throws DcapVerificationException {
    return new TdxModule(m.hex("mrsigner", 48), m.hex("attributes", 8), m.hex("attributesMask", 8));
  }

  static List<IsvLevel> isvLevels(JsonObject o) throws DcapVerificationException {
    List<IsvLevel> out = new ArrayList<>();
    for (JsonObject l : o.objects("tcbLevels")) {
      out.add(
          new IsvLevel(
              (int) l.object("tcb").integer("isvsvn", 0, 0xffff),
              TcbStatus.fromJson(l.string("tcbStatus"), l.path() + ".tcbStatus"),
              l.strings("advisoryIDs")));
    }
    if (out.isEmpty()) {
      throw JsonObject.fail(o.path() + ".tcbLevels", "empty");
    }
    return List.copyOf(out);
  }

  private static Level level(JsonObject l, int version, boolean tdx)
      throws DcapVerificationException {
    JsonObject tcb = l.object("tcb");
    int[] sgx = new int[16];
    int[] tdxSvns = new int[16];
    if (version == 2) {
      for (int i = 0; i < 16; i++) {
        sgx[i] = (int) tcb.integer(String.format("sgxtcbcomp%02dsvn", i + 1), 0, 255);
      }
    } else {
      svns(tcb, "sgxtcbcomponents", sgx);
      if (tdx) {
        svns(tcb, "tdxtcbcomponents", tdxSvns);
      }
    }
    return new Level(
        sgx,
        (int) tcb.integer("pcesvn", 0, 0xffff),
        tdxSvns,
        TcbStatus.fromJson(l.string("tcbStatus"), l.path() + ".tcbStatus"),
        l.strings("advisoryIDs"));
  }

  private static void svns(JsonObject tcb, String key, int[] out) throws DcapVerificationException {
    List<JsonObject> comps = tcb.objects(key);
    if (comps.size() != 16) {
      throw JsonObject.fail(tcb.path() + "." + key, "expected 16 components, got " + comps.size());
    }
    for (int i = 0; i < 16; i++) {
      out[i] = (int) comps.get(i).integer("svn", 0, 255);
    }
  }
}
