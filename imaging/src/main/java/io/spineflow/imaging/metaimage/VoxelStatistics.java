package io.spineflow.imaging.metaimage;

import io.spineflow.imaging.Image;
import java.math.BigInteger;
import java.nio.ByteBuffer;

/**
 * Min, max and sum of an image's voxels, exact for integer types (long accumulation, widened to
 * {@link BigInteger} only if a 64-bit sum overflows) and compensated (Neumaier) for floating point.
 * Reads through typed views of the voxel buffer: no per-voxel objects.
 *
 * @param min a {@link Long} for integer types ({@link BigInteger} above {@code Long.MAX_VALUE}), a
 *     {@link Double} for floating point (NaN voxels are skipped; NaN if all are NaN)
 * @param max as {@code min}
 * @param sum as {@code min}; for floating point NaN as soon as one voxel is NaN
 */
record VoxelStatistics(Number min, Number max, Number sum) {
  private static final BigInteger TWO_TO_63 = BigInteger.ONE.shiftLeft(63);

  static VoxelStatistics of(Image image) {
    ByteBuffer b = image.buffer();
    return switch (image.type()) {
      case CHAR -> ofInts(b, 1, true);
      case UCHAR -> ofInts(b, 1, false);
      case SHORT -> ofInts(b, 2, true);
      case USHORT -> ofInts(b, 2, false);
      case INT, LONG -> ofInts(b, 4, true);
      case UINT, ULONG -> ofInts(b, 4, false);
      case LONG_LONG -> ofLongs(b, false);
      case ULONG_LONG -> ofLongs(b, true);
      case FLOAT -> ofFloats(b, false);
      case DOUBLE -> ofFloats(b, true);
    };
  }

  // Up to 32-bit voxels: a long sum cannot overflow for any array Java can hold.
  private static VoxelStatistics ofInts(ByteBuffer b, int bytes, boolean signed) {
    int count = b.remaining() / bytes;
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    long sum = 0;
    for (int i = 0; i < count; i++) {
      long v =
          switch (bytes) {
            case 1 -> signed ? b.get(i) : b.get(i) & 0xFF;
            case 2 -> signed ? b.getShort(2 * i) : b.getShort(2 * i) & 0xFFFF;
            default -> signed ? b.getInt(4 * i) : b.getInt(4 * i) & 0xFFFFFFFFL;
          };
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }
    return new VoxelStatistics(min, max, sum);
  }

  private static VoxelStatistics ofLongs(ByteBuffer b, boolean unsigned) {
    var longs = b.asLongBuffer();
    long min = unsigned ? -1L : Long.MAX_VALUE;
    long max = unsigned ? 0L : Long.MIN_VALUE;
    long sum = 0;
    BigInteger overflow = BigInteger.ZERO;
    long topBits = 0; // unsigned voxels >= 2^63, counted apart so the long sum stays signed
    for (int i = 0; i < longs.limit(); i++) {
      long v = longs.get(i);
      if (unsigned) {
        min = Long.compareUnsigned(v, min) < 0 ? v : min;
        max = Long.compareUnsigned(v, max) > 0 ? v : max;
        if (v < 0) {
          topBits++;
          v &= Long.MAX_VALUE;
        }
      } else {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      long next = sum + v;
      if (((sum ^ next) & (v ^ next)) < 0) { // signed overflow: bank the sum so far
        overflow = overflow.add(BigInteger.valueOf(sum));
        next = v;
      }
      sum = next;
    }
    BigInteger total =
        overflow.add(BigInteger.valueOf(sum)).add(TWO_TO_63.multiply(BigInteger.valueOf(topBits)));
    return unsigned
        ? new VoxelStatistics(unsignedNumber(min), unsignedNumber(max), narrow(total))
        : new VoxelStatistics(min, max, narrow(total));
  }

  private static VoxelStatistics ofFloats(ByteBuffer b, boolean doubles) {
    int count = b.remaining() / (doubles ? 8 : 4);
    double min = Double.NaN;
    double max = Double.NaN;
    double sum = 0;
    double compensation = 0;
    for (int i = 0; i < count; i++) {
      double v = doubles ? b.getDouble(8 * i) : b.getFloat(4 * i);
      if (!(v >= min)) {
        min = Double.isNaN(v) ? min : v;
      }
      if (!(v <= max)) {
        max = Double.isNaN(v) ? max : v;
      }
      double next = sum + v;
      compensation += Math.abs(sum) >= Math.abs(v) ? (sum - next) + v : (v - next) + sum;
      sum = next;
    }
    // An infinite sum would turn the compensation into NaN (inf - inf): report it as it is.
    return new VoxelStatistics(min, max, Double.isFinite(sum) ? sum + compensation : sum);
  }

  private static Number unsignedNumber(long v) {
    return v >= 0 ? (Number) v : new BigInteger(Long.toUnsignedString(v));
  }

  private static Number narrow(BigInteger v) {
    return v.bitLength() < 64 ? (Number) v.longValue() : v;
  }
}
