package io.spineflow.imaging;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * An immutable single-channel image: its geometry, its element type and its voxels, kept exactly as
 * stored (little-endian bytes of {@code type}), so reading and writing a file loses nothing. Voxel
 * index {@code i = x + size[0]*(y + size[1]*z)}.
 */
public final class Image {
  private final ImageGeometry geometry;
  private final ElementType type;
  private final byte[] data;
  // One shared view instead of a ByteBuffer per voxel read: absolute gets do not move it.
  private final ByteBuffer view;

  /**
   * @param data voxels in little-endian order of {@code type}; copied
   */
  public Image(ImageGeometry geometry, ElementType type, byte[] data) {
    this(geometry, type, data, true);
  }

  private Image(ImageGeometry geometry, ElementType type, byte[] data, boolean copy) {
    this.geometry = Objects.requireNonNull(geometry, "geometry");
    this.type = Objects.requireNonNull(type, "type");
    long expected = geometry.voxelCount() * type.bytes();
    if (data.length != expected) {
      throw new IllegalArgumentException(
          "voxel data has " + data.length + " bytes, geometry and type need " + expected);
    }
    this.data = copy ? data.clone() : data;
    this.view = ByteBuffer.wrap(this.data).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * An image that takes ownership of {@code data} without copying it, for decoders that have just
   * filled a large array. The caller must not modify {@code data} afterwards.
   *
   * @param data voxels in little-endian order of {@code type}; not copied
   */
  public static Image wrap(ImageGeometry geometry, ElementType type, byte[] data) {
    return new Image(geometry, type, data, false);
  }

  /** An image of {@code type} whose voxels are {@code values} (rounded/clamped into the type). */
  public static Image fromDoubles(ImageGeometry geometry, ElementType type, double[] values) {
    if (values.length != geometry.voxelCount()) {
      throw new IllegalArgumentException(
          values.length + " values for " + geometry.voxelCount() + " voxels");
    }
    ByteBuffer buffer =
        ByteBuffer.allocate(values.length * type.bytes()).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      VoxelCodec.put(buffer, type, v);
    }
    return new Image(geometry, type, buffer.array());
  }

  public ImageGeometry geometry() {
    return geometry;
  }

  public ElementType type() {
    return type;
  }

  public long voxelCount() {
    return geometry.voxelCount();
  }

  /** The raw little-endian voxel bytes (a copy). */
  public byte[] data() {
    return data.clone();
  }

  /**
   * A read-only little-endian view of the voxel bytes (position 0, no copy), for bulk readers such
   * as writers and statistics that should not clone a large array.
   */
  public ByteBuffer buffer() {
    return view.duplicate().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Voxel {@code index} as a double (exact for every type but the largest 64-bit integers). */
  public double voxel(long index) {
    return VoxelCodec.get(view, type, Math.toIntExact(index * type.bytes()));
  }

  /** All voxels as floats, the working type of preprocessing. */
  public float[] toFloats() {
    ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[(int) voxelCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) VoxelCodec.get(buffer, type, i * type.bytes());
    }
    return out;
  }

  /** All voxels as doubles. */
  public double[] toDoubles() {
    ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    double[] out = new double[(int) voxelCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = VoxelCodec.get(buffer, type, i * type.bytes());
    }
    return out;
  }
}
