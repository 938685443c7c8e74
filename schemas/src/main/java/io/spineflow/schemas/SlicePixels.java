package io.spineflow.schemas;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The byte layout of the events' image fields, in one place: {@code Slice.pixels} is float32
 * little-endian, labels and mask classes are one byte per pixel. Readers never disturb the event's
 * buffer (they read a duplicate).
 */
public final class SlicePixels {
  private SlicePixels() {}

  /** {@code values} as {@code Slice.pixels}: float32 little-endian. */
  public static ByteBuffer encode(float[] values) {
    ByteBuffer buffer =
        ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(values);
    return buffer;
  }

  /** The floats of a {@code Slice.pixels} buffer. */
  public static float[] decode(ByteBuffer pixels) {
    ByteBuffer b = pixels.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[b.remaining() / Float.BYTES];
    b.asFloatBuffer().get(out);
    return out;
  }

  /** The remaining bytes of a buffer field (labels, mask classes, inline voxels), copied. */
  public static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] out = new byte[copy.remaining()];
    copy.get(out);
    return out;
  }
}
