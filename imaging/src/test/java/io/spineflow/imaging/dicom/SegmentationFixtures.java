package io.spineflow.imaging.dicom;

import io.spineflow.imaging.ElementType;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/** Label volumes and requests the Segmentation writer's tests share. */
final class SegmentationFixtures {
  static final DicomReader READER = new DicomReader();
  static final SegmentationWriter.Algorithm MODEL =
      new SegmentationWriter.Algorithm("spineflow-unet", "3.2.1");
  static final Instant CREATED = Instant.parse("2026-12-06T12:34:56.789Z");

  private SegmentationFixtures() {}

  static List<MrInstance> sagittalInstances() throws Exception {
    List<MrInstance> instances = new ArrayList<>();
    for (int n = 1; n <= 8; n++) {
      instances.add(MrInstance.read(READER, DicomFiles.bytes("sag_t1_000" + n + ".dcm")));
    }
    return instances;
  }

  /**
   * SPIDER levels on the sagittal T1 (256 × 256 × 8), shaped by its voxels: L4 (2) and L5 (1)
   * blocks where the image is brighter than its mean, the L4/L5 disc (202) a block between them,
   * the canal (100) a band behind them where the image is darker than its mean. Every slice is
   * labelled, including those a test flags as not segmented.
   */
  static Image sagittalLabels(DicomVolume volume) {
    Image image = volume.image();
    ImageGeometry g = image.geometry();
    double mean = 0;
    for (long i = 0; i < image.voxelCount(); i++) {
      mean += image.voxel(i) / image.voxelCount();
    }
    int columns = g.size()[0];
    int rows = g.size()[1];
    byte[] labels = new byte[Math.toIntExact(g.voxelCount())];
    for (int k = 0; k < g.size()[2]; k++) {
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < columns; c++) {
          int index = (k * rows + r) * columns + c;
          boolean bright = image.voxel(index) > mean;
          int value = 0;
          if (c >= 100 && c < 160 && r >= 90 && r < 130 && bright) {
            value = 2;
          } else if (c >= 100 && c < 160 && r >= 130 && r < 150) {
            value = 202;
          } else if (c >= 100 && c < 160 && r >= 150 && r < 190 && bright) {
            value = 1;
          } else if (c >= 170 && c < 185 && r >= 80 && r < 200 && !bright) {
            value = 100;
          }
          labels[index] = (byte) value;
        }
      }
    }
    return Image.wrap(g, ElementType.UCHAR, labels);
  }

  /**
   * A MetaImage-like volume without DICOM: 40 × 32 × 6 voxels of 0.8 × 0.9 × 3.5 mm, tilted 10°
   * about the left-right axis (rows along the head-foot axis, tilted), left-handed as a MetaImage
   * may be: row × column points to the patient's right (−x), the slices run to the left (+x), so
   * the direction matrix's determinant is −1. Blocks of L5 (1), L4 (2), the L5/S1 (201) and L4/L5
   * (202) discs and the canal (100).
   */
  static Image metaImageLabels() {
    double c = Math.cos(Math.toRadians(10));
    double s = Math.sin(Math.toRadians(10));
    double[] row = {0, c, s};
    double[] column = {0, s, -c};
    double[] normal = {1, 0, 0};
    double[] direction = new double[9];
    for (int i = 0; i < 3; i++) {
      direction[i * 3] = row[i];
      direction[i * 3 + 1] = column[i];
      direction[i * 3 + 2] = normal[i];
    }
    ImageGeometry g =
        new ImageGeometry(
            new int[] {40, 32, 6},
            new double[] {0.8, 0.9, 3.5},
            new double[] {12.5, -30.25, 100.125},
            direction);
    byte[] labels = new byte[Math.toIntExact(g.voxelCount())];
    for (int k = 0; k < 6; k++) {
      for (int r = 0; r < 32; r++) {
        for (int col = 0; col < 40; col++) {
          int value = 0;
          if (col >= 5 && col < 25) {
            value = r < 8 ? 2 : r < 11 ? 202 : r < 20 ? 1 : r < 23 ? 201 : 0;
          } else if (col >= 28 && col < 33 && r >= 2 && k > 0) {
            value = 100;
          }
          labels[(k * 32 + r) * 40 + col] = (byte) value;
        }
      }
    }
    return Image.wrap(g, ElementType.UCHAR, labels);
  }

  static BitSet slices(int count, int... notSegmented) {
    BitSet set = new BitSet();
    set.set(0, count);
    for (int k : notSegmented) {
      set.clear(k);
    }
    return set;
  }

  /** The label as written: its values on the segmented slices, 0 on the others. */
  static int expected(Image label, BitSet segmented, long index, boolean classes) {
    ImageGeometry g = label.geometry();
    long plane = (long) g.size()[0] * g.size()[1];
    if (!segmented.get((int) (index / plane))) {
      return 0;
    }
    int v = (int) label.voxel(index);
    if (!classes || v == 0 || v == 100) {
      return v;
    }
    return v > 200 ? 201 : 1;
  }
}
