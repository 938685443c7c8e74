package io.spineflow.imaging.metaimage;

import java.util.regex.Pattern;

/**
 * Strict parsing of header values. MetaIO reads numbers with C++ stream extraction; Java's own
 * parsers accept more than that ({@code NaN}, {@code Infinity}, hex floats, a {@code d} suffix), so
 * the syntax is checked first and every error names the field.
 */
final class FieldValues {
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
  // MetaIO reads integers as doubles and truncates, so "256.0" is a valid size; "256.5" is not.
  private static final Pattern INTEGER = Pattern.compile("([+-]?)(\\d+)(\\.0*)?");
  private static final int MAX_INTEGER_DIGITS = 18;

  private FieldValues() {}

  static String[] tokens(String value) {
    String stripped = value.strip();
    return stripped.isEmpty() ? new String[0] : stripped.split("\\s+");
  }

  /**
   * Exactly {@code count} values of a field, or INVALID_FIELD naming {@code why} that count, e.g.
   * "for NDims = 3".
   */
  static String[] tokens(String key, String value, int count, String why)
      throws MetaImageException {
    String[] tokens = tokens(value);
    if (tokens.length != count) {
      throw invalid(key, key + ": " + count + " values expected " + why + ", got " + tokens.length);
    }
    return tokens;
  }

  /** A single integer in {@code [min, max]}. */
  static long integer(String key, String value, long min, long max) throws MetaImageException {
    String[] tokens = tokens(key, value, 1, "(a single integer)");
    return integer(key, tokens[0], min, max, key);
  }

  /**
   * @param label how to name the value in a message, e.g. {@code DimSize[2]}
   */
  static long integer(String key, String token, long min, long max, String label)
      throws MetaImageException {
    var matcher = INTEGER.matcher(token);
    if (!matcher.matches()) {
      throw invalid(key, label + ": '" + HeaderScanner.abbreviate(token) + "' is not an integer");
    }
    String digits = matcher.group(2).replaceFirst("^0+(?=\\d)", "");
    if (digits.length() > MAX_INTEGER_DIGITS) {
      throw outOfRange(key, label, token, min, max);
    }
    long number = Long.parseLong(digits);
    if (matcher.group(1).equals("-")) {
      number = -number;
    }
    if (number < min || number > max) {
      throw outOfRange(key, label, token, min, max);
    }
    return number;
  }

  /** A finite number: NaN, infinities and overflowing literals are INVALID_FIELD. */
  static double finite(String key, String token, String label) throws MetaImageException {
    if (!DECIMAL.matcher(token).matches()) {
      throw invalid(
          key, label + ": '" + HeaderScanner.abbreviate(token) + "' is not a finite number");
    }
    double number = Double.parseDouble(token);
    if (Double.isInfinite(number)) {
      throw invalid(key, label + ": '" + HeaderScanner.abbreviate(token) + "' is not finite");
    }
    return number;
  }

  /** {@code count} finite numbers; {@code why} explains the count, e.g. "for NDims = 3". */
  static double[] finiteArray(String key, String value, int count, String why)
      throws MetaImageException {
    String[] tokens = tokens(key, value, count, why);
    double[] numbers = new double[count];
    for (int i = 0; i < count; i++) {
      numbers[i] = finite(key, tokens[i], key + "[" + i + "]");
    }
    return numbers;
  }

  /** MetaIO booleans: {@code True}/{@code False} in any case, or {@code 1}/{@code 0}. */
  static boolean bool(String key, String value) throws MetaImageException {
    String v = value.strip();
    if (v.equalsIgnoreCase("true") || v.equals("1")) {
      return true;
    }
    if (v.equalsIgnoreCase("false") || v.equals("0")) {
      return false;
    }
    throw invalid(key, key + ": True or False expected, got '" + HeaderScanner.abbreviate(v) + "'");
  }

  static MetaImageException invalid(String key, String message) {
    return new MetaImageException(ReasonCode.INVALID_FIELD, key, message);
  }

  private static MetaImageException outOfRange(
      String key, String label, String token, long min, long max) {
    return invalid(
        key,
        label
            + ": "
            + HeaderScanner.abbreviate(token)
            + " is outside the accepted range ["
            + min
            + ", "
            + max
            + "]");
  }
}
