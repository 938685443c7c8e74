package io.spineflow.imaging.dicom;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link DataSet} as a DICOM Part 10 file: the file meta group from {@link Part10}, then
 * the data set in Explicit VR Little Endian with defined-length sequences and items, every value
 * padded to even length (UI with NUL, text with a space, binary with a zero byte). Encapsulated
 * Pixel Data is written back fragment by fragment, unchanged, under its own transfer syntax; a
 * native data set is written as Explicit VR Little Endian whatever it was read from (implicit VR
 * and big endian data sets are refused, as their VRs or byte order would need converting).
 */
public final class DicomWriter {
  private DicomWriter() {}

  /**
   * A Part 10 file holding {@code dataset}.
   *
   * @param transferSyntax the syntax the data set was read in: encapsulated syntaxes are kept,
   *     every native one becomes Explicit VR Little Endian
   */
  public static byte[] write(DataSet dataset, TransferSyntax transferSyntax) throws DicomException {
    if (dataset.bigEndian()
        || transferSyntax.encoding() == TransferSyntax.DatasetEncoding.IMPLICIT_LITTLE_ENDIAN) {
      throw new DicomException(
          ReasonCode.UNSUPPORTED_TRANSFER_SYNTAX,
          DicomTag.TRANSFER_SYNTAX_UID.field(),
          DicomTag.TRANSFER_SYNTAX_UID.field()
              + ": '"
              + transferSyntax.describe()
              + "' cannot be rewritten (only explicit VR little endian data sets are)");
    }
    String uid =
        transferSyntax.encapsulated()
            ? transferSyntax.uid()
            : TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
    String sopClass = requireUid(dataset, DicomTag.SOP_CLASS_UID);
    String sopInstance = requireUid(dataset, DicomTag.SOP_INSTANCE_UID);
    return Part10.wrap(sopClass, sopInstance, uid, encode(dataset), null);
  }

  /** The data set's elements in Explicit VR Little Endian, group lengths left out. */
  public static byte[] encode(DataSet dataset) throws DicomException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    writeElements(out, dataset);
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

  private static void writeElements(ByteArrayOutputStream out, DataSet dataset)
      throws DicomException {
    // Tags in ascending order (PS3.5 7.1), as unsigned ints; group lengths are dropped because
    // they would be wrong once anything changed (and are retired in the data set).
    List<Map.Entry<Integer, DataElement>> sorted =
        dataset.elements().entrySet().stream()
            .sorted((a, b) -> Integer.compareUnsigned(a.getKey(), b.getKey()))
            .toList();
    for (Map.Entry<Integer, DataElement> entry : sorted) {
      if ((entry.getKey() & 0xFFFF) != 0) {
        writeElement(out, entry.getValue());
      }
    }
  }

  private static void writeElement(ByteArrayOutputStream out, DataElement e) throws DicomException {
    if (e.vr() == VR.SQ || !e.items().isEmpty()) {
      ByteArrayOutputStream items = new ByteArrayOutputStream();
      for (DataSet item : e.items()) {
        byte[] body = encode(item);
        tag(items, DatasetParser.ITEM);
        le32(items, body.length);
        items.writeBytes(body);
      }
      header(out, e.tag(), VR.SQ, items.size());
      out.writeBytes(items.toByteArray());
      return;
    }
    if (e.encapsulated()) {
      header(out, e.tag(), VR.OB, 0xFFFFFFFF);
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
    if (!e.vr().hasLongLength() && value.length > 0xFFFF) {
      String field = DicomTag.field(e.tag());
      throw new DicomException(
          ReasonCode.ELEMENT_TOO_LARGE,
          field,
          field + ": " + value.length + " bytes do not fit a " + e.vr() + " length (65535)");
    }
    header(out, e.tag(), e.vr(), value.length);
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

  private static void header(ByteArrayOutputStream out, int tag, VR vr, int length) {
    tag(out, tag);
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
