package io.spineflow.imaging.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.spineflow.imaging.Image;
import io.spineflow.imaging.labels.LabelledStructure;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Binary Segmentations written by other tools: dcmqi's reference SEG (3 frames of 38 × 23 bits, so
 * frames 2 and 3 start mid-byte) checked against pydicom 3.0.2's {@code pixel_array}, and a SEG of
 * the vendored sagittal T1 series written with pydicom by {@code files/seg/make_sag_t1_seg.py},
 * laid onto the assembled volume with the voxel counts that script printed.
 */
class SegmentationTest {
  private static final DicomReader READER = new DicomReader();

  private static SegmentationObject read(String name) throws DicomException {
    return SegmentationObject.read(READER.readFile(DicomFiles.bytes(name)), READER.limits());
  }

  /** Set pixel indices (row × columns + column): their count, sum, and first ones, per pydicom. */
  @Test
  void dcmqiReferenceFramesMatchPydicom() throws Exception {
    SegmentationObject seg = read("dcmqi_label_seg.dcm");

    assertThat(seg.rows()).isEqualTo(38);
    assertThat(seg.columns()).isEqualTo(23);
    assertThat(seg.referencedSeriesUid())
        .isEqualTo("1.2.826.0.1.3680043.2.1125.1.31406211013692525450623069050794718");
    assertThat(seg.segments()).containsOnlyKeys(1);
    SegmentationObject.Segment liver = seg.segments().get(1);
    assertThat(liver.typeCode()).isEqualTo("T-62000");
    assertThat(liver.typeScheme()).isEqualTo("SRT");
    assertThat(liver.categoryCode()).isEqualTo("T-D0050");
    assertThat(seg.frames()).hasSize(3);
    int[][] expected = {{4, 1746}, {314, 75349}, {4, 1746}};
    for (int f = 0; f < 3; f++) {
      SegmentationObject.Frame frame = seg.frames().get(f);
      assertThat(frame.segmentNumber()).isEqualTo(1);
      assertThat(frame.mask().cardinality()).as("frame %d", f).isEqualTo(expected[f][0]);
      assertThat(frame.mask().stream().sum()).as("frame %d", f).isEqualTo(expected[f][1]);
    }
    assertThat(seg.frames().get(0).mask().stream().toArray()).containsExactly(0, 22, 851, 873);
    assertThat(seg.frames().get(1).mask().stream().limit(6).toArray())
        .containsExactly(0, 12, 13, 14, 15, 22);
    assertThat(seg.frames().get(1).sourceSopInstanceUid())
        .isEqualTo("1.2.826.0.1.3680043.2.1125.1.87332118640148086231551956812617986");
    assertThat(seg.frames().get(2).attributes().imagePositionPatient())
        .containsExactly(46.4649, 5.01881, -172.75);
  }

  @Test
  void dcmqiSourceImagesAreTheFramesSources() throws Exception {
    SegmentationObject seg = read("dcmqi_label_seg.dcm");
    for (int n = 1; n <= 3; n++) {
      DataSet source =
          READER.readFile(DicomFiles.bytes("dcmqi_seg_source_000" + n + ".dcm")).dataset();
      assertThat(seg.frames().get(n - 1).sourceSopInstanceUid())
          .isEqualTo(source.string(DicomTag.SOP_INSTANCE_UID));
    }
  }

  @Test
  void aSegOfAnotherSeriesIsRefused() throws Exception {
    SegmentationObject seg = read("dcmqi_label_seg.dcm");
    DicomVolume volume = sagittalT1();
    DicomException e =
        catchThrowableOfType(DicomException.class, () -> SegmentationLabels.map(seg, volume, 0.05));
    // The series check comes first: dcmqi's SEG references its CT series.
    assertThat(e.reason()).isEqualTo(ReasonCode.SEGMENTATION_GRID_MISMATCH);
    assertThat(e.getMessage()).contains("ReferencedSeriesSequence (0008,1115)");
  }

  @Test
  void liverIsNotSpineAnatomy() throws Exception {
    SegmentationObject seg = read("dcmqi_label_seg.dcm");
    DicomVolume t1 = sagittalT1();
    // A volume under the CT series' UID, so the anatomy is what is checked.
    DicomVolume volume =
        new DicomVolume(seg.referencedSeriesUid(), t1.image(), 8, t1.sliceSpacing(), t1.plane());
    DicomException e =
        catchThrowableOfType(DicomException.class, () -> SegmentationLabels.map(seg, volume, 0.05));
    assertThat(e.reason()).isEqualTo(ReasonCode.SEGMENT_ANATOMY_UNKNOWN);
    assertThat(e.field()).isEqualTo("SegmentedPropertyTypeCodeSequence (0062,000F)");
    assertThat(e.getMessage()).contains("segment 1 is (T-62000, SRT, 'Liver')");
  }

  @Test
  void sagittalSegMapsOntoTheAssembledSeries() throws Exception {
    DicomVolume volume = sagittalT1();
    SegmentationObject seg = read("sag_t1_seg.dcm");

    SegmentationLabels labels = SegmentationLabels.map(seg, volume, 0.05);

    assertThat(labels.classes())
        .containsExactlyInAnyOrder(LabelledStructure.VERTEBRAE, LabelledStructure.DISCS);
    Image label = labels.label();
    assertThat(label.geometry().sameGrid(volume.image().geometry(), 1e-9)).isTrue();
    // make_sag_t1_seg.py: segment 1 (L4 vertebra) 5066 voxels, segment 2 (L4/L5 disc) 788.
    assertThat(count(label, SegmentAnatomy.of("SCT", "11994002").spiderValue())).isEqualTo(5066);
    assertThat(count(label, 202)).isEqualTo(788);
    assertThat(count(label, 0)).isEqualTo(label.voxelCount() - 5066 - 788);
    // L4 is the second vertebra above the sacrum.
    assertThat(SegmentAnatomy.of("SCT", "11994002").spiderValue()).isEqualTo(2);
    // Per slice, as the script printed: the disc on source slices 4, 5, 6 (252, 262, 274). The
    // normal (row × column cosines) points to -x, so the volume's slice k is source slice 8 - k.
    int plane = 256 * 256;
    assertThat(countInSlice(label, 202, 4, plane)).isEqualTo(252);
    assertThat(countInSlice(label, 202, 3, plane)).isEqualTo(262);
    assertThat(countInSlice(label, 202, 2, plane)).isEqualTo(274);
    assertThat(countInSlice(label, 2, 1, plane)).isEqualTo(1128);
    assertThat(countInSlice(label, 2, 7, plane)).isZero();
  }

  @Test
  void framesWithoutPositionArePlacedByTheirSourceImage() throws Exception {
    List<MrInstance> instances = sagittalInstances();
    DicomVolume volume = new SeriesAssembler().assemble(instances);
    SegmentationObject seg = read("sag_t1_seg_nopos.dcm");
    assertThat(seg.frames().get(0).attributes().imagePositionPatient()).isNull();

    SegmentationLabels labels = SegmentationLabels.map(seg, volume, instances, 0.05);

    assertThat(count(labels.label(), 2)).isEqualTo(5066);
    assertThat(count(labels.label(), 202)).isEqualTo(788);
    assertThat(countInSlice(labels.label(), 202, 4, 256 * 256)).isEqualTo(252);
    DicomException e =
        catchThrowableOfType(DicomException.class, () -> SegmentationLabels.map(seg, volume, 0.05));
    assertThat(e.reason()).isEqualTo(ReasonCode.MISSING_ATTRIBUTE);
    assertThat(e.field()).isEqualTo("PlanePositionSequence (0020,9113)");
  }

  @Test
  void aSegOfAnotherGridIsRefused() throws Exception {
    // Source slices 1-4 only (x -81.6 to -67.2; the volume starts at -67.2 and runs to -x): the
    // first frame, on source slice 3, fits; the one on source slice 5 lies one slice before it.
    List<MrInstance> instances = new ArrayList<>();
    for (int n = 1; n <= 4; n++) {
      instances.add(MrInstance.read(READER, DicomFiles.bytes("sag_t1_000" + n + ".dcm")));
    }
    DicomVolume partial = new SeriesAssembler().assemble(instances);
    SegmentationObject seg = read("sag_t1_seg.dcm");

    DicomException e =
        catchThrowableOfType(
            DicomException.class, () -> SegmentationLabels.map(seg, partial, 0.05));

    assertThat(e.reason()).isEqualTo(ReasonCode.SEGMENTATION_GRID_MISMATCH);
    assertThat(e.field()).isEqualTo("ImagePositionPatient (0020,0032)");
    assertThat(e.getMessage()).contains("frame 3 lies -4.800 mm along the slices (slice 0 of 4");
  }

  @Test
  void anMrImageIsNotASegmentation() throws Exception {
    DicomException e = catchThrowableOfType(DicomException.class, () -> read("sag_t1_0001.dcm"));
    assertThat(e.reason()).isEqualTo(ReasonCode.INVALID_ATTRIBUTE);
    assertThat(e.field()).isEqualTo("SOPClassUID (0008,0016)");
  }

  @Test
  void codedAnatomyMapsToSpiderValues() {
    assertThat(SegmentAnatomy.of("SCT", "49668003"))
        .isEqualTo(new SegmentAnatomy(LabelledStructure.VERTEBRAE, 1)); // L5
    assertThat(SegmentAnatomy.of("SCT", "66794005").spiderValue()).isEqualTo(5); // L1
    assertThat(SegmentAnatomy.of("SCT", "715056000"))
        .isEqualTo(new SegmentAnatomy(LabelledStructure.DISCS, 201)); // L5/S1
    assertThat(SegmentAnatomy.of("SCT", "76206002").spiderValue()).isEqualTo(206); // T12/L1
    assertThat(SegmentAnatomy.of("SCT", "2748008"))
        .isEqualTo(new SegmentAnatomy(LabelledStructure.CANAL, 100));
    assertThat(SegmentAnatomy.of("SRT", "T-62000")).isNull();
    assertThat(SegmentAnatomy.of("SCT", "10200004")).isNull(); // liver
    assertThat(Set.of(SegmentAnatomy.of("SCT", "14806007").spiderValue())).containsExactly(24);
  }

  private static DicomVolume sagittalT1() throws Exception {
    return new SeriesAssembler().assemble(sagittalInstances());
  }

  private static List<MrInstance> sagittalInstances() throws Exception {
    List<MrInstance> instances = new ArrayList<>();
    for (int n = 1; n <= 8; n++) {
      instances.add(MrInstance.read(READER, DicomFiles.bytes("sag_t1_000" + n + ".dcm")));
    }
    return instances;
  }

  private static long count(Image image, int value) {
    long n = 0;
    for (long i = 0; i < image.voxelCount(); i++) {
      if (image.voxel(i) == value) {
        n++;
      }
    }
    return n;
  }

  private static long countInSlice(Image image, int value, int slice, int plane) {
    long n = 0;
    for (long i = (long) slice * plane; i < (long) (slice + 1) * plane; i++) {
      if (image.voxel(i) == value) {
        n++;
      }
    }
    return n;
  }
}
