package io.spineflow.imaging.metaimage;

import io.spineflow.imaging.ElementType;
import io.spineflow.imaging.ImageGeometry;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed and validated MetaImage header. Synonyms are already resolved: {@code geometry} holds
 * the spacing ({@code ElementSpacing}, else {@code ElementSize}, else 1), the origin ({@code
 * Offset}/{@code Position}/{@code Origin}, else 0) and the direction ({@code
 * TransformMatrix}/{@code Rotation}/{@code Orientation}, else identity) in ITK's conventions.
 *
 * @param geometry size, spacing, origin and direction, as ITK would report them
 * @param elementType the voxel type ({@code ElementType}); always one channel
 * @param byteOrder the byte order of the voxels in the file ({@code BinaryDataByteOrderMSB} /
 *     {@code ElementByteOrderMSB}); the decoded {@link io.spineflow.imaging.Image} is always
 *     little-endian
 * @param compressed {@code CompressedData}: voxels are a zlib stream
 * @param compressedDataSize {@code CompressedDataSize}, or null when absent (or 0, which MetaIO
 *     treats as absent): the compressed stream then runs to the end of the file
 * @param headerSize {@code HeaderSize}: 0 when absent; bytes to skip at the start of the data file
 *     (for {@code LOCAL}, an absolute offset in the file, as in MetaIO); -1 means the voxels are
 *     the last bytes of the file
 * @param elementDataFile {@code ElementDataFile}: {@code LOCAL} or a file name relative to the
 *     header's directory
 * @param objectType {@code ObjectType} ({@code Image}), or null when absent
 * @param anatomicalOrientation {@code AnatomicalOrientation} as written (e.g. {@code RAI}, {@code
 *     ??}), or null when absent; informative only, ITK derives nothing from it
 * @param centerOfRotation {@code CenterOfRotation}, or null when absent
 * @param elementSize {@code ElementSize} as written, or null when absent
 * @param elementMin {@code ElementMin}, or null when absent
 * @param elementMax {@code ElementMax}, or null when absent
 * @param extraFields keys MetaIO knows but spineflow does not use, or that nobody knows (e.g.
 *     {@code Comment}, {@code Modality}, {@code Color}), with their raw values, in file order;
 *     never null
 */
public record MetaImageHeader(
    ImageGeometry geometry,
    ElementType elementType,
    ByteOrder byteOrder,
    boolean compressed,
    Long compressedDataSize,
    long headerSize,
    String elementDataFile,
    String objectType,
    String anatomicalOrientation,
    List<Double> centerOfRotation,
    List<Double> elementSize,
    Double elementMin,
    Double elementMax,
    Map<String, String> extraFields) {

  /** The {@code ElementDataFile} value meaning "the voxels follow the header in this file". */
  public static final String LOCAL = "LOCAL";

  public MetaImageHeader {
    Objects.requireNonNull(geometry, "geometry");
    Objects.requireNonNull(elementType, "elementType");
    Objects.requireNonNull(byteOrder, "byteOrder");
    Objects.requireNonNull(elementDataFile, "elementDataFile");
    centerOfRotation = centerOfRotation == null ? null : List.copyOf(centerOfRotation);
    elementSize = elementSize == null ? null : List.copyOf(elementSize);
    extraFields = Collections.unmodifiableMap(new LinkedHashMap<>(extraFields));
  }

  /** True when the voxels follow the header in the same file ({@code ElementDataFile = LOCAL}). */
  public boolean dataIsLocal() {
    // MetaIO accepts LOCAL, Local and local.
    return elementDataFile.equalsIgnoreCase(LOCAL);
  }

  /** Voxel count × element size: the byte length of the decoded voxels. */
  public long decodedBytes() {
    return geometry.voxelCount() * elementType.bytes();
  }
}
