package io.spineflow.imaging.dicom;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Builds a DICOM Part 10 file around a bare data set, as a DIMSE receiver holds it after a C-STORE
 * (the data set in the negotiated transfer syntax, the SOP UIDs from the command): a 128-byte zero
 * preamble, "DICM", and the file meta group (PS3.10 7.1) in Explicit VR Little Endian.
 */
public final class Part10 {
  /** spineflow's implementation class UID (a UUID-derived 2.25 root, PS3.5 B.2). */
  public static final String IMPLEMENTATION_CLASS_UID =
      "2.25.104706224372358912683513530187356830193";

  public static final String IMPLEMENTATION_VERSION_NAME = "SPINEFLOW_1";

  private Part10() {}

  /**
   * A Part 10 file: preamble, "DICM", the meta group, then {@code dataset} unchanged.
   *
   * @param dataset the data set's bytes, encoded in {@code transferSyntaxUid} (deflated for the
   *     deflated syntax)
   * @param sourceAeTitle the calling AE title, or null to leave Source Application Entity Title out
   */
  public static byte[] wrap(
      String sopClassUid,
      String sopInstanceUid,
      String transferSyntaxUid,
      byte[] dataset,
      String sourceAeTitle) {
    Objects.requireNonNull(dataset, "dataset");
    ByteArrayOutputStream group = new ByteArrayOutputStream(256);
    element(group, 0x0001, "OB", new byte[] {0, 1});
    element(group, 0x0002, "UI", uid(sopClassUid));
    element(group, 0x0003, "UI", uid(sopInstanceUid));
    element(group, 0x0010, "UI", uid(transferSyntaxUid));
    element(group, 0x0012, "UI", uid(IMPLEMENTATION_CLASS_UID));
    element(group, 0x0013, "SH", text(IMPLEMENTATION_VERSION_NAME));
    if (sourceAeTitle != null && !sourceAeTitle.isBlank()) {
      element(group, 0x0016, "AE", text(sourceAeTitle.strip()));
    }
    byte[] groupBytes = group.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream(140 + groupBytes.length + dataset.length);
    out.writeBytes(new byte[128]);
    out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
    ByteArrayOutputStream length = new ByteArrayOutputStream(12);
    element(length, 0x0000, "UL", le32(groupBytes.length));
    out.writeBytes(length.toByteArray());
    out.writeBytes(groupBytes);
    out.writeBytes(dataset);
    return out.toByteArray();
  }

  private static byte[] uid(String uid) {
    Objects.requireNonNull(uid, "uid");
    byte[] ascii = uid.strip().getBytes(StandardCharsets.US_ASCII);
    // UI values are padded to even length with a NUL (PS3.5 6.2).
    return pad(ascii, (byte) 0);
  }

  private static byte[] text(String value) {
    return pad(value.getBytes(StandardCharsets.US_ASCII), (byte) ' ');
  }

  private static byte[] pad(byte[] value, byte padding) {
    if (value.length % 2 == 0) {
      return value;
    }
    byte[] padded = java.util.Arrays.copyOf(value, value.length + 1);
    padded[value.length] = padding;
    return padded;
  }

  private static void element(ByteArrayOutputStream out, int element, String vr, byte[] value) {
    out.writeBytes(new byte[] {2, 0, (byte) element, (byte) (element >>> 8)});
    out.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
    if (vr.equals("OB")) {
      // OB has a 2-byte reserved field and a 4-byte length.
      out.writeBytes(new byte[] {0, 0});
      out.writeBytes(le32(value.length));
    } else {
      out.writeBytes(new byte[] {(byte) value.length, (byte) (value.length >>> 8)});
    }
    out.writeBytes(value);
  }

  private static byte[] le32(int v) {
    return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
  }
}
