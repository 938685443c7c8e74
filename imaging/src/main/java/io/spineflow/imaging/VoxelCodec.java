package io.spineflow.imaging;

import java.nio.ByteBuffer;

/** Reads and writes one voxel of an {@link ElementType} in a buffer (its byte order decides). */
final class VoxelCodec {
  private VoxelCodec() {}

  static double get(ByteBuffer b, ElementType type, int offset) {
    return switch (type) {
      case CHAR -> b.get(offset);
      case UCHAR -> b.get(offset) & 0xFF;
      case SHORT -> b.getShort(offset);
      case USHORT -> b.getShort(offset) & 0xFFFF;
      case INT, LONG -> b.getInt(offset);
      case UINT, ULONG -> b.getInt(offset) & 0xFFFFFFFFL;
      case LONG_LONG -> b.getLong(offset);
      case ULONG_LONG -> unsignedToDouble(b.getLong(offset));
      case FLOAT -> b.getFloat(offset);
      case DOUBLE -> b.getDouble(offset);
    };
  }

  static void put(ByteBuffer b, ElementType type, double v) {
    switch (type) {
      case CHAR -> b.put((byte) clampRound(v, Byte.MIN_VALUE, Byte.MAX_VALUE));
      case UCHAR -> b.put((byte) clampRound(v, 0, 255));
      case SHORT -> b.putShort((short) clampRound(v, Short.MIN_VALUE, Short.MAX_VALUE));
      case USHORT -> b.putShort((short) clampRound(v, 0, 65535));
      case INT, LONG -> b.putInt((int) clampRound(v, Integer.MIN_VALUE, Integer.MAX_VALUE));
      case UINT, ULONG -> b.putInt((int) clampRound(v, 0, 4294967295L));
      case LONG_LONG -> b.putLong(Math.round(v));
      case ULONG_LONG -> b.putLong(v <= 0 ? 0 : (long) Math.rint(v));
      case FLOAT -> b.putFloat((float) v);
      case DOUBLE -> b.putDouble(v);
    }
  }

  private static long clampRound(double v, long min, long max) {
    if (Double.isNaN(v)) {
      return 0;
    }
    return Math.max(min, Math.min(max, Math.round(v)));
  }

  private static double unsignedToDouble(long v) {
    double d = (double) (v & Long.MAX_VALUE);
    return v < 0 ? d + 0x1p63 : d;
  }
}
