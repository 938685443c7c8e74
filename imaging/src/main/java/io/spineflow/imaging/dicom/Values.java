package io.spineflow.imaging.dicom;

/** Decodes element values: binary numbers in either byte order, and DS/IS text. */
final class Values {
  private Values() {}

  static long[] binaryIntegers(byte[] value, VR vr, boolean bigEndian, DicomTag tag)
      throws DicomException {
    int size = vr == VR.US || vr == VR.SS ? 2 : 4;
    if (value.length % size != 0) {
      throw invalid(tag, value.length + " bytes is not a whole number of " + vr + " values");
    }
    long[] out = new long[value.length / size];
    for (int i = 0; i < out.length; i++) {
      long raw = unsigned(value, i * size, size, bigEndian);
      out[i] =
          switch (vr) {
            case SS -> (short) raw;
            case SL -> (int) raw;
            default -> raw;
          };
    }
    return out;
  }

  static double[] binaryDecimals(byte[] value, VR vr, boolean bigEndian, DicomTag tag)
      throws DicomException {
    int size = vr == VR.FL ? 4 : 8;
    if (value.length % size != 0) {
      throw invalid(tag, value.length + " bytes is not a whole number of " + vr + " values");
    }
    double[] out = new double[value.length / size];
    for (int i = 0; i < out.length; i++) {
      long raw = unsigned(value, i * size, size, bigEndian);
      out[i] = size == 4 ? Float.intBitsToFloat((int) raw) : Double.longBitsToDouble(raw);
      if (!Double.isFinite(out[i])) {
        throw invalid(tag, "value " + (i + 1) + " is " + out[i]);
      }
    }
    return out;
  }

  /** Reads {@code size} (1 to 8) bytes at {@code offset} as an unsigned number. */
  static long unsigned(byte[] bytes, int offset, int size, boolean bigEndian) {
    long v = 0;
    for (int i = 0; i < size; i++) {
      int b = bytes[offset + (bigEndian ? i : size - 1 - i)] & 0xFF;
      v = (v << 8) | b;
    }
    return v;
  }

  static long[] integerStrings(String text, DicomTag tag) throws DicomException {
    if (text == null) {
      return new long[0];
    }
    String[] parts = text.split("\\\\", -1);
    long[] out = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i].strip();
      try {
        // IS allows a leading '+', which Long.parseLong accepts too.
        out[i] = Long.parseLong(p);
      } catch (NumberFormatException e) {
        throw invalid(tag, "'" + abbreviate(p) + "' is not an integer string (IS)");
      }
    }
    return out;
  }

  static double[] decimalStrings(String text, DicomTag tag) throws DicomException {
    if (text == null) {
      return new double[0];
    }
    String[] parts = text.split("\\\\", -1);
    double[] out = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = decimal(parts[i].strip(), tag);
    }
    return out;
  }

  private static double decimal(String p, DicomTag tag) throws DicomException {
    // Double.parseDouble also takes "NaN", "Infinity", hex floats and a trailing 'd'/'f': none is
    // a decimal string (DS), so only digits, sign, point and exponent get that far.
    if (p.isEmpty() || !p.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
      throw invalid(tag, "'" + abbreviate(p) + "' is not a decimal string (DS)");
    }
    double v = Double.parseDouble(p);
    if (!Double.isFinite(v)) {
      throw invalid(tag, "'" + abbreviate(p) + "' is out of range");
    }
    return v;
  }

  static DicomException invalid(DicomTag tag, String problem) {
    return new DicomException(
        ReasonCode.INVALID_ATTRIBUTE, tag.field(), tag.field() + ": " + problem);
  }

  /** Shortens echoed input so a hostile value cannot make a rejection as large as itself. */
  static String abbreviate(String text) {
    String head = text.length() <= 40 ? text : text.substring(0, 37) + "...";
    return head.replaceAll("[^\\x20-\\x7E]", "?");
  }
}
