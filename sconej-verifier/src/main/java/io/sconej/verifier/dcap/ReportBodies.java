package io.sconej.verifier.dcap;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Field offsets of the report bodies and extraction into {@link DcapVerifiedQuote}.
 *
 * <pre>
 * SGX report body (384): cpusvn[16]@0 miscselect u32@16 attributes[16]@48 (flags bit 1 = DEBUG)
 *   mrenclave[32]@64 mrsigner[32]@128 isvprodid u16@256 isvsvn u16@258 report_data[64]@320
 * TDX TD report body (584): tee_tcb_svn[16]@0 mrseam[48]@16 mrsignerseam[48]@64
 *   seam_attributes[8]@112 td_attributes[8]@120 (bit 0 = DEBUG) xfam[8]@128 mrtd[48]@136
 *   mrconfigid[48]@184 mrowner[48]@232 mrownerconfig[48]@280 rtmr0..3[48]@328,376,424,472
 *   report_data[64]@520
 * </pre>
 */
final class ReportBodies {
  private ReportBodies() {}

  static DcapVerifiedQuote sgx(byte[] b, TcbEvaluator.Outcome o, byte[] fmspc, Instant expiry) {
    return new DcapVerifiedQuote(
        TeeType.SGX,
        o.status(),
        o.advisoryIds(),
        HexFormat.of().formatHex(fmspc),
        Arrays.copyOfRange(b, 64, 96),
        List.of(),
        Arrays.copyOfRange(b, 128, 160),
        QuoteReader.u16(b, 256),
        QuoteReader.u16(b, 258),
        (b[48] & 0x02) != 0,
        Arrays.copyOfRange(b, 320, 384),
        expiry,
        b);
  }

  static DcapVerifiedQuote tdx(byte[] b, TcbEvaluator.Outcome o, byte[] fmspc, Instant expiry) {
    List<byte[]> rtmrs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      rtmrs.add(Arrays.copyOfRange(b, 328 + 48 * i, 376 + 48 * i));
    }
    return new DcapVerifiedQuote(
        TeeType.TDX,
        o.status(),
        o.advisoryIds(),
        HexFormat.of().formatHex(fmspc),
        Arrays.copyOfRange(b, 136, 184),
        rtmrs,
        new byte[0],
        0,
        0,
        (b[120] & 0x01) != 0,
        Arrays.copyOfRange(b, 520, 584),
        expiry,
        b);
  }
}
