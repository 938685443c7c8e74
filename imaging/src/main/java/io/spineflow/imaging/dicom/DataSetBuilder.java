package io.spineflow.imaging.dicom;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a little-endian {@link DataSet} element by element, for the objects spineflow writes (see
 * {@link SegmentationWriter}). Text is written as ASCII (a character outside it becomes '?'), so a
 * data set built here needs no Specific Character Set of its own; values are padded to even length
 * when written ({@link DicomWriter}).
 */
final class DataSetBuilder {
  private final Map<Integer, DataElement> elements = new LinkedHashMap<>();

  /** A text element; null or empty gives an empty (type 2) element. */
  DataSetBuilder text(int tag, VR vr, String value) {
    byte[] bytes = new byte[0];
    if (value != null) {
      String ascii = value.replaceAll("[^\\x20-\\x7E]", "?");
      bytes = ascii.getBytes(StandardCharsets.US_ASCII);
    }
    return put(DataElement.ofValue(tag, vr, bytes));
  }

  /** A multi-valued text element, values joined by backslashes. */
  DataSetBuilder texts(int tag, VR vr, String... values) {
    return text(tag, vr, String.join("\\", values));
  }

  /** Unsigned shorts (US). */
  DataSetBuilder us(int tag, int... values) {
    byte[] bytes = new byte[values.length * 2];
    for (int i = 0; i < values.length; i++) {
      bytes[2 * i] = (byte) values[i];
      bytes[2 * i + 1] = (byte) (values[i] >>> 8);
    }
    return put(DataElement.ofValue(tag, VR.US, bytes));
  }

  /** Unsigned longs (UL). */
  DataSetBuilder ul(int tag, long... values) {
    byte[] bytes = new byte[values.length * 4];
    for (int i = 0; i < values.length; i++) {
      for (int b = 0; b < 4; b++) {
        bytes[4 * i + b] = (byte) (values[i] >>> (8 * b));
      }
    }
    return put(DataElement.ofValue(tag, VR.UL, bytes));
  }

  /** Attribute tags (AT): group then element, each little endian. */
  DataSetBuilder at(int tag, int... tags) {
    byte[] bytes = new byte[tags.length * 4];
    for (int i = 0; i < tags.length; i++) {
      int group = tags[i] >>> 16;
      int element = tags[i] & 0xFFFF;
      bytes[4 * i] = (byte) group;
      bytes[4 * i + 1] = (byte) (group >>> 8);
      bytes[4 * i + 2] = (byte) element;
      bytes[4 * i + 3] = (byte) (element >>> 8);
    }
    return put(DataElement.ofValue(tag, VR.AT, bytes));
  }

  /** Decimal strings (DS) with at most {@code decimals} fraction digits. */
  DataSetBuilder ds(int tag, int decimals, double... values) {
    String[] parts = new String[values.length];
    for (int i = 0; i < values.length; i++) {
      parts[i] = decimal(values[i], decimals);
    }
    return texts(tag, VR.DS, parts);
  }

  /** An integer string (IS). */
  DataSetBuilder is(int tag, long value) {
    return text(tag, VR.IS, Long.toString(value));
  }

  /** A sequence of items (an empty list gives an empty sequence). */
  DataSetBuilder sequence(int tag, List<DataSet> items) {
    return put(DataElement.ofItems(tag, VR.SQ, items));
  }

  /** A sequence of one item. */
  DataSetBuilder item(int tag, DataSet item) {
    return sequence(tag, List.of(item));
  }

  /** Raw bytes under a binary VR (OB, OW). */
  DataSetBuilder bytes(int tag, VR vr, byte[] value) {
    return put(DataElement.ofValue(tag, vr, value));
  }

  /** An element as another data set holds it (its value bytes and VR unchanged). */
  DataSetBuilder copy(DataElement element, VR vr) {
    return put(new DataElement(element.tag(), vr, element.value(), element.items(), null));
  }

  DataSet build() {
    return new DataSet(elements, false, StandardCharsets.US_ASCII);
  }

  private DataSetBuilder put(DataElement e) {
    elements.put(e.tag(), e);
    return this;
  }

  /**
   * A DS value (at most 16 characters, PS3.5 6.2): rounded to {@code decimals} fraction digits,
   * trailing zeros dropped, never in exponent form (a cosine of 1e-17 is written 0).
   */
  static String decimal(double value, int decimals) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("not a finite number: " + value);
    }
    BigDecimal d = BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_EVEN);
    String text = d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
    if (text.length() > 16) {
      throw new IllegalArgumentException(value + " does not fit a DS value (16 characters)");
    }
    return text;
  }
}
