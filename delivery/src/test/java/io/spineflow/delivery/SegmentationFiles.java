package io.spineflow.delivery;

import io.spineflow.imaging.ElementType;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import io.spineflow.imaging.dicom.SegmentationSource;
import io.spineflow.imaging.dicom.SegmentationWriter;
import java.time.Instant;
import java.util.BitSet;

/** Real DICOM Segmentations written by imaging's writer from a small label volume. */
final class SegmentationFiles {
  private SegmentationFiles() {}

  /**
   * A 24 × 16 × 3 label volume (vertebra, disc, canal blocks on every slice) as a Segmentation of
   * study {@code studyKey}: the same key gives the same UIDs, another key other ones.
   */
  static SegmentationWriter.Written of(String studyKey) throws Exception {
    ImageGeometry geometry = ImageGeometry.of(24, 16, 3);
    byte[] labels = new byte[Math.toIntExact(geometry.voxelCount())];
    for (int k = 0; k < 3; k++) {
      for (int r = 0; r < 16; r++) {
        for (int c = 0; c < 24; c++) {
          int value = c < 12 ? (r < 6 ? 1 : r < 9 ? 201 : 0) : c < 15 && r > 2 ? 100 : 0;
          labels[(k * 16 + r) * 24 + c] = (byte) value;
        }
      }
    }
    BitSet segmented = new BitSet();
    segmented.set(0, 3);
    return SegmentationWriter.write(
        new SegmentationWriter.Request(
            Image.wrap(geometry, ElementType.UCHAR, labels),
            segmented,
            SegmentationWriter.Labelling.CLASSES,
            new SegmentationWriter.Algorithm("spineflow-unet", "1"),
            new SegmentationSource.Volume(studyKey, "delivery-test"),
            Instant.parse("2026-12-06T12:00:00Z"),
            900));
  }
}
