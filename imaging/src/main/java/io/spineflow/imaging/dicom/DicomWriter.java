package io.spineflow.imaging.dicom;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link DataSet} as a DICOM Part 10 file: the file meta group from {@link Part10}, then
 * the data set in Explicit VR Little Endian with defined-length sequences and items, every value
 * padded to even length (UI with NUL, text with a space, binary with a zero byte). Encapsulated
 * Pixel Data is written back fragment by fragment, unchanged, under its own transfer syntax; an
 * Implicit VR Little Endian data set stays implicit (the reader kept the VRs it does not know as
 * {@link VR#UN}, which only implicit VR can write back faithfully); any other native data set is
 * written as Explicit VR Little Endian. Big endian data sets are refused.
 */
public final class DicomWriter {
  private DicomWriter() {}

  /**
   * A Part 10 file holding {@code dataset}.
   *
   * @param transferSyntax the syntax the data set was read in: encapsulated syntaxes and Implicit
   *     VR Little Endian are kept, the other native ones become Explicit VR Little Endian
   */
  public static byte[] write(DataSet dataset, TransferSyntax transferSyntax) throws DicomException {
    if (dataset.bigEndian()) {
      throw new DicomException(
          ReasonCode.UNSUPPORTED_TRANSFER_SYNTAX,
          DicomTag.TRANSFER_SYNTAX_UID.field(),
          DicomTag.TRANSFER_SYNTAX_UID.field()
              + ": '"
              + transferSyntax.describe()
              + "' cannot be rewritten (big endian values would need swapping VR by VR)");
    }
    boolean implicit =
        transferSyntax.encoding() == TransferSyntax.DatasetEncoding.IMPLICIT_LITTLE_ENDIAN;
    String uid =
        transferSyntax.encapsulated() || implicit
            ? transferSyntax.uid()
            : TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
    String sopClass = requireUid(dataset, DicomTag.SOP_CLASS_UID);
    String sopInstance = requireUid(dataset, DicomTag.SOP_INSTANCE_UID);
    return Part10.wrap(sopClass, sopInstance, uid, encode(dataset, !implicit), null);
  }

  /** The data set's elements in Explicit VR Little Endian, group lengths left out. */
  public static byte[] encode(DataSet dataset) throws DicomException {
    return encode(dataset, true);
  }

  /**
   * The data set's elements in Explicit or Implicit VR Little Endian, group lengths left out.
   * Implicit VR keeps elements whose VR the reader did not know ({@link VR#UN}) as they were.
   */
  public static byte[] encode(DataSet dataset, boolean explicit) throws DicomException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    writeElements(out, dataset, explicit);
    return out.toByteArray();
  }

  private static String requireUid(DataSet dataset, DicomTag tag) throws DicomException {
    String uid = dataset.string(tag);
    if (uid == null) {
      throw new DicomException(
          ReasonCode.MISSING_ATTRIBUTE, tag.field(), tag.field() + ": absent, needed in the meta");
    }
    return uid;
  }

  private static void writeElements(ByteArrayOutputStream out, DataSet dataset, boolean explicit)
      throws DicomException {
    // Tags in ascending order (PS3.5 7.1), as unsigned ints; group lengths are dropped because
    // they would be wrong once anything changed (and are retired in the data set).
    List<Map.Entry<Integer, DataElement>> sorted =
        dataset.elements().entrySet().stream()
            .sorted((a, b) -> Integer.compareUnsigned(a.getKey(), b.getKey()))
            .toList();
    for (Map.Entry<Integer, DataElement> entry : sorted) {
      if ((entry.getKey() & 0xFFFF) != 0) {
        writeElement(out, entry.getValue(), explicit);
      }
    }
  }

  private static void writeElement(ByteArrayOutputStream out, DataElement e, boolean explicit)
      throws DicomException {
    if (e.vr() == VR.SQ || !e.items().isEmpty()) {
      ByteArrayOutputStream items = new ByteArrayOutputStream();
      for (DataSet item : e.items()) {
        byte[] body = encode(item, explicit);
        tag(items, DatasetParser.ITEM);
        le32(items, body.length);
        items.writeBytes(body);
      }
      header(out, e.tag(), VR.SQ, items.size(), explicit);
      out.writeBytes(items.toByteArray());
      return;
    }
    if (e.encapsulated()) {
      header(out, e.tag(), VR.OB, 0xFFFFFFFF, explicit);
      for (byte[] fragment : e.fragments()) {
        tag(out, DatasetParser.ITEM);
        le32(out, fragment.length);
        out.writeBytes(fragment);
      }
      tag(out, DatasetParser.SEQUENCE_DELIMITATION);
      le32(out, 0);
      return;
    }
    byte[] value = pad(e.value(), e.vr());
    if (explicit && !e.vr().hasLongLength() && value.length > 0xFFFF) {
      String field = DicomTag.field(e.tag());
      throw new DicomException(
          ReasonCode.ELEMENT_TOO_LARGE,
          field,
          field + ": " + value.length + " bytes do not fit a " + e.vr() + " length (65535)");
    }
    header(out, e.tag(), e.vr(), value.length, explicit);
    out.writeBytes(value);
  }

  /** Even length (PS3.5 6.2): UI pads with NUL, other text with a space, binary with zero. */
  static byte[] pad(byte[] value, VR vr) {
    if (value.length % 2 == 0) {
      return value;
    }
    byte[] padded = java.util.Arrays.copyOf(value, value.length + 1);
    padded[value.length] = vr.isText() && vr != VR.UI ? (byte) ' ' : 0;
    return padded;
  }

  /** A text value as bytes (ASCII: the de-identifier's replacements are all ASCII). */
  static byte[] text(String value, VR vr) {
    return pad(value.getBytes(StandardCharsets.US_ASCII), vr);
  }

  private static void header(
      ByteArrayOutputStream out, int tag, VR vr, int length, boolean explicit) {
    tag(out, tag);
    if (!explicit) {
      le32(out, length);
      return;
    }
    out.writeBytes(vr.name().getBytes(StandardCharsets.US_ASCII));
    if (vr.hasLongLength()) {
      out.writeBytes(new byte[] {0, 0});
      le32(out, length);
    } else {
      out.writeBytes(new byte[] {(byte) length, (byte) (length >>> 8)});
    }
  }

  private static void tag(ByteArrayOutputStream out, int tag) {
    int group = tag >>> 16;
    int element = tag & 0xFFFF;
    out.writeBytes(
        new byte[] {(byte) group, (byte) (group >>> 8), (byte) element, (byte) (element >>> 8)});
  }

  private static void le32(ByteArrayOutputStream out, int v) {
    out.writeBytes(new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)});
  }
}
