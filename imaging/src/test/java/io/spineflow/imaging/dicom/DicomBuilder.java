package io.spineflow.imaging.dicom;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;

/**
 * Writes small DICOM Part 10 files in explicit VR little endian (deflated when the transfer syntax
 * says so) for tests: a valid image by default, changed one element at a time.
 */
final class DicomBuilder {
  static final int UNDEFINED = -1;

  private String transferSyntax = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
  private boolean withTransferSyntax = true;
  private final Map<Integer, byte[]> elements = new LinkedHashMap<>();

  /**
   * A 4-column × 3-row MONOCHROME2 image, 16 bits allocated, 12 stored, unsigned, whose pixel i
   * holds 100 * i.
   */
  static DicomBuilder image() {
    DicomBuilder b = new DicomBuilder();
    b.text(DicomTag.SOP_CLASS_UID, "UI", "1.2.840.10008.5.1.4.1.1.4");
    b.text(DicomTag.SOP_INSTANCE_UID, "UI", "1.2.3.4");
    b.text(DicomTag.MODALITY, "CS", "MR");
    b.us(DicomTag.SAMPLES_PER_PIXEL, 1);
    b.text(DicomTag.PHOTOMETRIC_INTERPRETATION, "CS", "MONOCHROME2");
    b.us(DicomTag.ROWS, 3);
    b.us(DicomTag.COLUMNS, 4);
    b.us(DicomTag.BITS_ALLOCATED, 16);
    b.us(DicomTag.BITS_STORED, 12);
    b.us(DicomTag.HIGH_BIT, 11);
    b.us(DicomTag.PIXEL_REPRESENTATION, 0);
    short[] pixels = new short[12];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (short) (100 * i);
    }
    b.set(DicomTag.PIXEL_DATA.tag(), element(DicomTag.PIXEL_DATA.tag(), "OW", shorts(pixels)));
    return b;
  }

  DicomBuilder transferSyntax(String uid) {
    this.transferSyntax = uid;
    return this;
  }

  DicomBuilder withoutTransferSyntax() {
    this.withTransferSyntax = false;
    return this;
  }

  DicomBuilder us(DicomTag tag, int value) {
    return set(tag.tag(), element(tag.tag(), "US", shorts(new short[] {(short) value})));
  }

  DicomBuilder text(DicomTag tag, String vr, String value) {
    return set(tag.tag(), element(tag.tag(), vr, vr.equals("UI") ? uid(value) : padded(value)));
  }

  /** A UID padded to an even length with a NUL, as PS3.5 §9.1 asks. */
  static byte[] uid(String value) {
    String even = value.length() % 2 == 0 ? value : value + "\0";
    return even.getBytes(StandardCharsets.US_ASCII);
  }

  DicomBuilder without(DicomTag tag) {
    elements.remove(tag.tag());
    return this;
  }

  /** Sets the element {@code tag} to bytes encoded by hand (any header, any length). */
  DicomBuilder set(int tag, byte[] encoded) {
    elements.put(tag, encoded);
    return this;
  }

  /** Appends bytes after every element (a second copy of a tag, trailing garbage, ...). */
  DicomBuilder append(byte[] encoded) {
    elements.put(Integer.MIN_VALUE + elements.size(), encoded);
    return this;
  }

  byte[] build() {
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    elements.values().forEach(data::writeBytes);
    byte[] dataset = data.toByteArray();
    TransferSyntax syntax = TransferSyntax.of(transferSyntax);
    if (syntax != null
        && syntax.encoding() == TransferSyntax.DatasetEncoding.DEFLATED_EXPLICIT_LITTLE_ENDIAN) {
      dataset = deflate(dataset);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[128]);
    out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(element(0x00020001, "OB", new byte[] {0, 1}));
    if (withTransferSyntax) {
      out.writeBytes(element(0x00020010, "UI", uid(transferSyntax)));
    }
    out.writeBytes(dataset);
    return out.toByteArray();
  }

  /** The data set alone: no preamble, no meta group (as some PACS store files). */
  byte[] buildBare() {
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    elements.values().forEach(data::writeBytes);
    return data.toByteArray();
  }

  /**
   * One RLE Lossless frame of 16-bit samples (PS3.5 annex G): two segments, high bytes then low
   * bytes, each as literal runs of at most 128 bytes.
   */
  static byte[] rleFrame(short[] samples) {
    byte[] high = new byte[samples.length];
    byte[] low = new byte[samples.length];
    for (int i = 0; i < samples.length; i++) {
      high[i] = (byte) (samples[i] >> 8);
      low[i] = (byte) samples[i];
    }
    byte[] first = literalRuns(high);
    byte[] second = literalRuns(low);
    ByteBuffer header = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    header.putInt(2).putInt(64).putInt(64 + first.length);
    return concat(header.array(), first, second);
  }

  private static byte[] literalRuns(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int at = 0; at < bytes.length; at += 128) {
      int n = Math.min(128, bytes.length - at);
      out.write(n - 1);
      out.write(bytes, at, n);
    }
    return out.toByteArray();
  }

  /** An explicit VR little-endian element; {@code value} null means undefined length, no value. */
  static byte[] element(int tag, String vr, byte[] value) {
    VR v = VR.valueOf(vr);
    ByteBuffer b = ByteBuffer.allocate(12 + (value == null ? 0 : value.length));
    b.order(ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) (tag >>> 16)).putShort((short) tag);
    b.put(vr.getBytes(StandardCharsets.US_ASCII));
    int length = value == null ? UNDEFINED : value.length;
    if (v.hasLongLength()) {
      b.putShort((short) 0).putInt(length);
    } else {
      b.putShort((short) length);
    }
    if (value != null) {
      b.put(value);
    }
    return java.util.Arrays.copyOf(b.array(), b.position());
  }

  /** A tag and a 4-byte length with no VR: items and delimiters. */
  static byte[] itemHeader(int tag, int length) {
    return ByteBuffer.allocate(8)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putShort((short) (tag >>> 16))
        .putShort((short) tag)
        .putInt(length)
        .array();
  }

  /** An item of defined length holding {@code elements}. */
  static byte[] item(byte[]... elements) {
    byte[] body = concat(elements);
    return concat(itemHeader(DatasetParser.ITEM, body.length), body);
  }

  /** A defined-length sequence of {@code items}. */
  static byte[] sequence(int tag, byte[]... items) {
    return element(tag, "SQ", concat(items));
  }

  /** Encapsulated Pixel Data: an empty Basic Offset Table, the fragments, the delimiter. */
  static byte[] encapsulated(byte[]... fragments) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(element(DicomTag.PIXEL_DATA.tag(), "OB", null));
    out.writeBytes(itemHeader(DatasetParser.ITEM, 0));
    for (byte[] f : fragments) {
      out.writeBytes(itemHeader(DatasetParser.ITEM, f.length));
      out.writeBytes(f);
    }
    out.writeBytes(itemHeader(DatasetParser.SEQUENCE_DELIMITATION, 0));
    return out.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static byte[] shorts(short[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (short v : values) {
      b.putShort(v);
    }
    return b.array();
  }

  /** Text padded to an even length with a space (a NUL for UIDs would do too). */
  static byte[] padded(String value) {
    String even = value.length() % 2 == 0 ? value : value + " ";
    return even.getBytes(StandardCharsets.ISO_8859_1);
  }

  static byte[] deflate(byte[] bytes) {
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    try {
      deflater.setInput(bytes);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] chunk = new byte[8192];
      while (!deflater.finished()) {
        out.write(chunk, 0, deflater.deflate(chunk));
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }
}
