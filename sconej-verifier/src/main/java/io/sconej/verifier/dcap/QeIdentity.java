package io.sconej.verifier.dcap;

import io.sconej.verifier.dcap.TcbInfo.IsvLevel;
import java.time.Instant;
import java.util.List;

/** Parsed Intel QE identity (version 2, ids "QE" and "TD_QE"); all fields required. */
record QeIdentity(
    String id,
    Instant issueDate,
    Instant nextUpdate,
    long miscselect,
    long miscselectMask,
    byte[] attributes,
    byte[] attributesMask,
    byte[] mrsigner,
    int isvProdId,
    List<IsvLevel> levels) {

  static QeIdentity parse(String json) throws DcapVerificationException {
    JsonObject o = JsonObject.of(JsonObject.parse(json, "enclaveIdentity"), "enclaveIdentity");
    long version = o.integer("version", 0, 100);
    if (version != 2) {
      throw JsonObject.fail("enclaveIdentity.version", "unsupported version " + version);
    }
    String id = o.string("id");
    if (!id.equals("QE") && !id.equals("TD_QE")) {
      throw JsonObject.fail("enclaveIdentity.id", "unexpected id '" + id + "' (want QE or TD_QE)");
    }
    return new QeIdentity(
        id,
        o.instant("issueDate"),
        o.instant("nextUpdate"),
        QuoteReader.u32(reverse(o.hex("miscselect", 4)), 0),
        QuoteReader.u32(reverse(o.hex("miscselectMask", 4)), 0),
        o.hex("attributes", 16),
        o.hex("attributesMask", 16),
        o.hex("mrsigner", 32),
        (int) o.integer("isvprodid", 0, 0xffff),
        TcbInfo.isvLevels(o));
  }

  private static byte[] reverse(byte[] b) {
    byte[] r = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      r[i] = b[b.length - 1 - i];
    }
    return r;
  }
}
