package io.spineflow.imaging.metrics;

/**
 * The natural logarithm of a float from a 1024-entry table of {@code ln(1 + k/1024)} with linear
 * interpolation: {@code ln(m · 2^e) = e · ln 2 + ln m}. Absolute error below 1.2e-7 (the
 * interpolation bound h²/8 with h = 1/1024), about twice as fast as {@link Math#log}; entropy is
 * computed on every pixel of every live slice, four logarithms per pixel.
 */
final class TableLog {
  private static final int BITS = 10;
  private static final int DROPPED = 23 - BITS; // float mantissa bits below the table index
  private static final double FRACTION_SCALE = 1.0 / (1 << DROPPED);
  private static final double LN2 = Math.log(2);
  private static final double[] TABLE = new double[(1 << BITS) + 1];

  /** The largest absolute error of {@link #ln} on positive floats. */
  static final double MAX_ERROR = 1.2e-7;

  static {
    for (int k = 0; k <= 1 << BITS; k++) {
      TABLE[k] = Math.log1p((double) k / (1 << BITS));
    }
  }

  private TableLog() {}

  /** ln(x) for a positive, finite x; subnormal values fall back to {@link Math#log}. */
  static double ln(float x) {
    int bits = Float.floatToRawIntBits(x);
    int exponent = bits >>> 23; // x > 0: the sign bit is clear
    if (exponent == 0) {
      return Math.log(x);
    }
    int mantissa = bits & 0x7FFFFF;
    int index = mantissa >>> DROPPED;
    double fraction = (mantissa & ((1 << DROPPED) - 1)) * FRACTION_SCALE;
    double low = TABLE[index];
    return (exponent - 127) * LN2 + low + fraction * (TABLE[index + 1] - low);
  }
}
