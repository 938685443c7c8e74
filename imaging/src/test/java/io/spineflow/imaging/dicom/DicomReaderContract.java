package io.spineflow.imaging.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.imaging.CodecRejections;
import io.spineflow.imaging.dicom.DicomImage.Frame;
import java.util.Map;

/**
 * What {@link DicomReader} promises for any input, checked on one outcome: a rejection names a
 * reason, the field and the limit; an accepted image is consistent with its pixel description and
 * within the {@link DicomLimits}. Used by the fuzz test and the malformed-file corpus.
 */
final class DicomReaderContract {
  static final int MAX_MESSAGE_CHARS = CodecRejections.MAX_MESSAGE_CHARS;

  private final DicomLimits limits;

  DicomReaderContract(DicomLimits limits) {
    this.limits = limits;
  }

  /**
   * A rejection carries a reason and a short, non-blank message that names the field at fault (when
   * there is one) and, for a limit, the limit's value and its name in {@link DicomLimits}.
   */
  void checkRejection(DicomException e) {
    CodecRejections.check(e, "DicomLimits", limitBehind(e.reason()));
  }

  /**
   * An accepted image: as many frames as it declares, within maxFrames; rows × columns finite
   * values in each, within maxDecodedBytes in all; a consistent pixel description; a decodable
   * syntax.
   */
  void checkAccepted(DicomImage image) {
    PixelDescription p = image.pixels();
    assertThat(image.file().transferSyntax().decodable()).isTrue();
    assertThat(p.rows()).isBetween(1, 65535);
    assertThat(p.columns()).isBetween(1, 65535);
    assertThat(p.bitsAllocated()).isIn(8, 16);
    assertThat(p.bitsStored()).isBetween(1, p.bitsAllocated());
    assertThat(p.highBit()).isBetween(p.bitsStored() - 1, p.bitsAllocated() - 1);
    assertThat(p.frames()).isPositive().isLessThanOrEqualTo(limits.maxFrames());
    assertThat(image.frames()).hasSize(p.frames());
    assertThat((long) p.frames() * p.pixelsPerFrame() * Float.BYTES)
        .isLessThanOrEqualTo(limits.maxDecodedBytes());
    for (Frame frame : image.frames()) {
      assertThat(frame.values()).hasSize(p.pixelsPerFrame());
      for (float v : frame.values()) {
        assertThat(v).isFinite();
      }
      FrameAttributes a = frame.attributes();
      assertThat(a.rescaleSlope()).isFinite();
      assertThat(a.rescaleIntercept()).isFinite();
    }
  }

  /** The limit a reason code reports, as (name in DicomLimits, value); null for the others. */
  private Map.Entry<String, Long> limitBehind(ReasonCode reason) {
    return switch (reason) {
      case INPUT_TOO_LARGE, DECOMPRESSION_BOMB ->
          Map.entry("maxInputBytes", limits.maxInputBytes());
      case ELEMENT_TOO_LARGE -> Map.entry("maxElementBytes", (long) limits.maxElementBytes());
      case NESTING_TOO_DEEP -> Map.entry("maxDepth", (long) limits.maxDepth());
      case TOO_MANY_ITEMS -> Map.entry("maxItems", (long) limits.maxItems());
      case TOO_MANY_FRAMES -> Map.entry("maxFrames", (long) limits.maxFrames());
      case DECODED_DATA_TOO_LARGE -> Map.entry("maxDecodedBytes", limits.maxDecodedBytes());
      default -> null;
    };
  }
}
