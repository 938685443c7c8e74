package io.spineflow.platform.volume;

import io.spineflow.events.ClaimCheck;
import io.spineflow.events.InlineVoxels;
import io.spineflow.events.Volume;
import io.spineflow.imaging.ElementType;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import io.spineflow.schemas.SlicePixels;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Converts between an {@link Image} and the {@link Volume} of a study event: inline voxels up to
 * {@code inlineMaxBytes}, a claim check above.
 */
public final class VolumeMapper {
  private final ClaimCheckStore store;
  private final int inlineMaxBytes;

  public VolumeMapper(ClaimCheckStore store, int inlineMaxBytes) {
    this.store = store;
    this.inlineMaxBytes = inlineMaxBytes;
  }

  public int inlineMaxBytes() {
    return inlineMaxBytes;
  }

  /**
   * @param anatomicalOrientation as read from the header; null when absent
   */
  public Volume toVolume(Image image, String anatomicalOrientation) {
    ImageGeometry g = image.geometry();
    byte[] data = image.data();
    Object voxels =
        data.length <= inlineMaxBytes
            ? InlineVoxels.newBuilder().setData(ByteBuffer.wrap(data)).build()
            : store.put(data);
    return Volume.newBuilder()
        .setSize(Arrays.stream(g.size()).boxed().toList())
        .setSpacing(Arrays.stream(g.spacing()).boxed().toList())
        .setOrigin(Arrays.stream(g.origin()).boxed().toList())
        .setDirection(Arrays.stream(g.direction()).boxed().toList())
        .setElementType(image.type().metaName())
        .setAnatomicalOrientation(anatomicalOrientation)
        .setVoxels(voxels)
        .build();
  }

  /**
   * @throws VolumeException when the element type is unknown, the geometry inconsistent or a claim
   *     check cannot be honoured
   */
  public Image toImage(Volume volume) {
    ElementType type =
        ElementType.fromMetaName(volume.getElementType())
            .orElseThrow(
                () ->
                    new VolumeException(
                        "UNSUPPORTED_ELEMENT_TYPE",
                        "elementType",
                        "'" + volume.getElementType() + "' is not a MetaImage element type"));
    ImageGeometry geometry;
    try {
      geometry =
          new ImageGeometry(
              volume.getSize().stream().mapToInt(Integer::intValue).toArray(),
              doubles(volume.getSpacing()),
              doubles(volume.getOrigin()),
              doubles(volume.getDirection()));
    } catch (IllegalArgumentException e) {
      throw new VolumeException("INVALID_GEOMETRY", "size", e.getMessage());
    }
    Object voxels = volume.getVoxels();
    byte[] data;
    if (voxels instanceof InlineVoxels inline) {
      data = SlicePixels.bytes(inline.getData());
    } else if (voxels instanceof ClaimCheck check) {
      data = store.get(check);
    } else {
      throw new VolumeException("INVALID_VOXELS", "voxels", "unknown payload " + voxels);
    }
    try {
      return Image.wrap(geometry, type, data);
    } catch (IllegalArgumentException e) {
      throw new VolumeException("TRUNCATED_DATA", "voxels", e.getMessage());
    }
  }

  private static double[] doubles(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
