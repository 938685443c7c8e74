package io.spineflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.imaging.Image;
import io.spineflow.imaging.dicom.DicomLimits;
import io.spineflow.imaging.dicom.DicomReader;
import io.spineflow.imaging.dicom.DicomTag;
import io.spineflow.imaging.dicom.SegmentationObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The vendored Segmentations of the sagittal T1 series ({@code sag_t1_seg.dcm}, and {@code
 * sag_t1_seg_nopos.dcm} without Plane Position; written by {@code files/seg/make_sag_t1_seg.py} in
 * imaging's test resources) and what a study labelled by one must carry, worked out apart from
 * ingest's mapping: each frame put on the slice of its source image (Derivation Image's Referenced
 * SOP Instance UID, matched against the series' files), with the SPIDER value of its segment as the
 * script codes it (1: the L4 vertebra, 2; 2: the L4/L5 disc, 202).
 */
final class VendoredSeg {
  static final String WITH_POSITIONS = "sag_t1_seg.dcm";
  static final String WITHOUT_POSITIONS = "sag_t1_seg_nopos.dcm";

  /** Voxels per segment, as the script printed them. */
  static final int L4_VOXELS = 5066;

  static final int L4_L5_VOXELS = 788;

  private static final Map<Integer, Integer> SPIDER_VALUE_OF_SEGMENT = Map.of(1, 2, 2, 202);

  private VendoredSeg() {}

  static byte[] bytes(String name) {
    return VendoredDicom.bytes(name);
  }

  /**
   * Asserts that {@code label} (on the grid of the whole 8-slice series, whose slice k is
   * sag_t1_000(8 - k)) is the Segmentation {@code name}, voxel for voxel.
   */
  static void assertLabelIs(Image label, String name) {
    DicomReader reader = new DicomReader();
    int plane = 256 * 256;
    assertThat(label.voxelCount()).isEqualTo(8L * plane);
    try {
      Map<String, Integer> sliceOfSource = new HashMap<>();
      for (int n = 1; n <= 8; n++) {
        String sop =
            reader
                .readFile(VendoredDicom.bytes("sag_t1_000" + n + ".dcm"))
                .dataset()
                .string(DicomTag.SOP_INSTANCE_UID);
        sliceOfSource.put(sop, 8 - n);
      }
      SegmentationObject seg =
          SegmentationObject.read(reader.readFile(bytes(name)), DicomLimits.DEFAULT);
      int[] expected = new int[8 * plane];
      for (SegmentationObject.Frame frame : seg.frames()) {
        int base = sliceOfSource.get(frame.sourceSopInstanceUid()) * plane;
        int value = SPIDER_VALUE_OF_SEGMENT.get(frame.segmentNumber());
        frame.mask().stream()
            .filter(p -> expected[base + p] == 0)
            .forEach(p -> expected[base + p] = value);
      }
      int vertebra = 0;
      int disc = 0;
      for (int i = 0; i < expected.length; i++) {
        if ((int) label.voxel(i) != expected[i]) {
          throw new AssertionError(
              "label voxel " + i + " is " + label.voxel(i) + ", the segmentation's " + expected[i]);
        }
        vertebra += expected[i] == 2 ? 1 : 0;
        disc += expected[i] == 202 ? 1 : 0;
      }
      assertThat(vertebra).isEqualTo(L4_VOXELS);
      assertThat(disc).isEqualTo(L4_L5_VOXELS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
