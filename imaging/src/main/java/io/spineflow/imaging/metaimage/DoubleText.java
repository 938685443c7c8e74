package io.spineflow.imaging.metaimage;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Prints doubles as header values: the fewest significant digits that read back to the same double
 * ({@code 1.366}, {@code 0}, {@code -1434.5}), in plain notation where C++ streams use it and
 * {@code 1e-05} style otherwise, so headers look like ITK's and geometry survives a round trip
 * exactly. (Java 17's {@code Double.toString} is not always shortest and prints {@code 1.0}.)
 */
final class DoubleText {
  private static final int MAX_DIGITS = 17;

  private DoubleText() {}

  static String format(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return Double.toString(value);
    }
    if (value == 0) {
      return 1 / value < 0 ? "-0" : "0";
    }
    BigDecimal exact = new BigDecimal(value);
    BigDecimal shortest = exact;
    for (int digits = 1; digits <= MAX_DIGITS; digits++) {
      BigDecimal rounded = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
      if (rounded.doubleValue() == value) {
        shortest = rounded;
        break;
      }
    }
    shortest = shortest.stripTrailingZeros();
    int exponent = shortest.precision() - shortest.scale() - 1;
    if (exponent >= -4 && exponent < MAX_DIGITS) {
      return shortest.toPlainString();
    }
    return scientific(shortest, exponent);
  }

  /** Joins values with single spaces, as MetaIO writes arrays. */
  static String join(double[] values) {
    StringBuilder text = new StringBuilder();
    for (double v : values) {
      text.append(text.length() == 0 ? "" : " ").append(format(v));
    }
    return text.toString();
  }

  private static String scientific(BigDecimal value, int exponent) {
    String digits = value.unscaledValue().abs().toString();
    StringBuilder text = new StringBuilder();
    if (value.signum() < 0) {
      text.append('-');
    }
    text.append(digits.charAt(0));
    if (digits.length() > 1) {
      text.append('.').append(digits, 1, digits.length());
    }
    text.append('e').append(exponent < 0 ? '-' : '+');
    String magnitude = Integer.toString(Math.abs(exponent));
    if (magnitude.length() < 2) {
      text.append('0');
    }
    return text.append(magnitude).toString();
  }
}
