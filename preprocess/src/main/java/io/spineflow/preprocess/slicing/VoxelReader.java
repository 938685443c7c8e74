package io.spineflow.preprocess.slicing;

import io.spineflow.imaging.Image;
import java.nio.ByteBuffer;

/**
 * Reads voxels of an image as floats straight from its little-endian bytes, without converting the
 * whole volume first: preprocessing touches every voxel once (the histogram) and otherwise only the
 * few it interpolates from.
 */
@FunctionalInterface
public interface VoxelReader {
  float at(int index);

  static VoxelReader of(Image image) {
    ByteBuffer b = image.buffer();
    return switch (image.type()) {
      case UCHAR -> i -> b.get(i) & 0xFF;
      case CHAR -> i -> b.get(i);
      case USHORT -> i -> b.getShort(2 * i) & 0xFFFF;
      case SHORT -> i -> b.getShort(2 * i);
      case INT, LONG -> i -> b.getInt(4 * i);
      case UINT, ULONG -> i -> b.getInt(4 * i) & 0xFFFFFFFFL;
      case FLOAT -> i -> b.getFloat(4 * i);
      default -> i -> (float) image.voxel(i);
    };
  }
}
