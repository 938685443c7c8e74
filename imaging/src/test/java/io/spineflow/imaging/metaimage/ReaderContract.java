package io.spineflow.imaging.metaimage;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.imaging.CodecRejections;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import java.util.Map;

/**
 * What {@link MetaImageReader} promises for any input, checked on one outcome: a rejection names a
 * reason, the field and the limit; an accepted image is consistent with its header and within the
 * {@link MetaImageLimits}. Used by the fuzz test, where every input is either of the two.
 */
final class ReaderContract {
  static final int MAX_MESSAGE_CHARS = CodecRejections.MAX_MESSAGE_CHARS;

  private final MetaImageLimits limits;

  ReaderContract(MetaImageLimits limits) {
    this.limits = limits;
  }

  /**
   * A rejection carries a reason and a short, non-blank message that names the field at fault (when
   * there is one) and, for a limit, the limit's value and its name in {@link MetaImageLimits}.
   */
  void checkRejection(MetaImageException e) {
    CodecRejections.check(e, "MetaImageLimits", limitBehind(e.reason()));
  }

  /**
   * An accepted image: the geometry and type its header declares, 2 or 3 positive dimensions, a
   * voxel count equal to their product and within the limits, one array element per voxel byte, and
   * finite geometry with positive spacing.
   */
  void checkAccepted(MetaImage read) {
    MetaImageHeader header = read.header();
    Image image = read.image();
    ImageGeometry geometry = image.geometry();
    assertThat(geometry).isEqualTo(header.geometry());
    assertThat(image.type()).isEqualTo(header.elementType());

    int[] size = geometry.size();
    assertThat(size.length).isBetween(2, 3);
    long product = 1;
    for (int s : size) {
      assertThat(s).isPositive();
      product = Math.multiplyExact(product, s);
    }
    assertThat(image.voxelCount()).isEqualTo(product).isLessThanOrEqualTo(limits.maxVoxels());
    assertThat((long) image.data().length)
        .isEqualTo(product * image.type().bytes())
        .isEqualTo(header.decodedBytes())
        .isLessThanOrEqualTo(limits.maxDecodedBytes());

    for (double s : geometry.spacing()) {
      assertThat(s).isPositive().isFinite();
    }
    for (double o : geometry.origin()) {
      assertThat(o).isFinite();
    }
    for (double d : geometry.direction()) {
      assertThat(d).isFinite();
    }
  }

  /** The limit a reason code reports, as (name in MetaImageLimits, value); null for the others. */
  private Map.Entry<String, Long> limitBehind(ReasonCode reason) {
    return switch (reason) {
      case HEADER_TOO_LARGE -> Map.entry("maxHeaderBytes", (long) limits.maxHeaderBytes());
      case TOO_MANY_VOXELS -> Map.entry("maxVoxels", limits.maxVoxels());
      case DECODED_DATA_TOO_LARGE -> Map.entry("maxDecodedBytes", limits.maxDecodedBytes());
      case INPUT_TOO_LARGE -> Map.entry("maxInputBytes", limits.maxInputBytes());
      default -> null;
    };
  }
}
