package io.spineflow.imaging.dicom;

import java.nio.charset.Charset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable DICOM data set (the file's, or a sequence item's): its elements in file order, the
 * byte order their binary values are in, and the character set their text is in. Accessors take a
 * {@link DicomTag} and refuse a malformed value with {@link ReasonCode#INVALID_ATTRIBUTE}, so a
 * caller never meets a NumberFormatException.
 */
public final class DataSet {
  private final Map<Integer, DataElement> elements;
  private final boolean bigEndian;
  private final Charset charset;

  DataSet(Map<Integer, DataElement> elements, boolean bigEndian, Charset charset) {
    this.elements = Collections.unmodifiableMap(new LinkedHashMap<>(elements));
    this.bigEndian = bigEndian;
    this.charset = charset;
  }

  /** Every element, in file order, keyed by tag (group << 16 | element). */
  public Map<Integer, DataElement> elements() {
    return elements;
  }

  public boolean bigEndian() {
    return bigEndian;
  }

  /** The character set text values are in (from Specific Character Set). */
  Charset charset() {
    return charset;
  }

  public boolean contains(DicomTag tag) {
    return elements.containsKey(tag.tag());
  }

  public DataElement get(DicomTag tag) {
    return elements.get(tag.tag());
  }

  /**
   * The text value with trailing (and, but for LT/ST/UT, leading) spaces and NULs removed; null
   * when absent or empty. Multiple values keep their backslashes.
   */
  public String string(DicomTag tag) {
    DataElement e = get(tag);
    if (e == null || e.value().length == 0) {
      return null;
    }
    String text = new String(e.value(), charset).replace("\0", "");
    String trimmed =
        switch (e.vr()) {
          case LT, ST, UT -> text.stripTrailing();
          default -> text.strip();
        };
    return trimmed.isEmpty() ? null : trimmed;
  }

  /** The values of a multi-valued text element (split at backslashes), or an empty list. */
  public List<String> strings(DicomTag tag) {
    String text = string(tag);
    if (text == null) {
      return List.of();
    }
    return java.util.Arrays.stream(text.split("\\\\", -1)).map(String::strip).toList();
  }

  /**
   * The first value of an integer element (US, SS, UL, SL, IS; UN is read as the dictionary VR), or
   * null when absent or empty.
   */
  public Long integer(DicomTag tag) throws DicomException {
    long[] values = integers(tag);
    return values.length == 0 ? null : values[0];
  }

  /** Every value of an integer element, or an empty array. */
  public long[] integers(DicomTag tag) throws DicomException {
    DataElement e = get(tag);
    if (e == null || e.value().length == 0) {
      return new long[0];
    }
    VR vr = e.vr() == VR.UN ? tag.vr() : e.vr();
    return switch (vr) {
      case US, SS, UL, SL -> Values.binaryIntegers(e.value(), vr, bigEndian, tag);
      case IS -> Values.integerStrings(string(tag), tag);
      default -> throw Values.invalid(tag, "an integer VR expected, got " + vr);
    };
  }

  /**
   * Every value of a decimal element (DS, FL, FD; or an integer VR), or an empty array when absent
   * or empty. NaN and infinities are refused.
   */
  public double[] decimals(DicomTag tag) throws DicomException {
    DataElement e = get(tag);
    if (e == null || e.value().length == 0) {
      return new double[0];
    }
    VR vr = e.vr() == VR.UN ? tag.vr() : e.vr();
    return switch (vr) {
      case DS, IS -> Values.decimalStrings(string(tag), tag);
      case FL, FD -> Values.binaryDecimals(e.value(), vr, bigEndian, tag);
      case US, SS, UL, SL -> {
        long[] ints = Values.binaryIntegers(e.value(), vr, bigEndian, tag);
        double[] out = new double[ints.length];
        for (int i = 0; i < ints.length; i++) {
          out[i] = ints[i];
        }
        yield out;
      }
      default -> throw Values.invalid(tag, "a numeric VR expected, got " + vr);
    };
  }

  /** The items of a sequence, or an empty list when absent, empty, or not a sequence. */
  public List<DataSet> sequence(DicomTag tag) {
    DataElement e = get(tag);
    return e == null ? List.of() : e.items();
  }

  @Override
  public String toString() {
    return "DataSet[" + elements.size() + " elements]";
  }
}
