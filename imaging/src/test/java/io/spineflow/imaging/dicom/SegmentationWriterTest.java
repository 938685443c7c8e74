package io.spineflow.imaging.dicom;

import static io.spineflow.imaging.dicom.SegmentationFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import io.spineflow.imaging.ElementType;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import io.spineflow.imaging.labels.LabelledStructure;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Segmentations written by {@link SegmentationWriter} read back to the voxels written: through
 * spineflow's reader ({@link SegmentationObject}, {@link SegmentationLabels}) for the vendored
 * sagittal T1, and for a volume without DICOM onto the caller's grid or the grid its own functional
 * groups define ({@link SegmentationGrid}). Foreign tools check the same files in {@link
 * SegmentationWriterToolsTest}.
 */
class SegmentationWriterTest {

  static SegmentationWriter.Written writeSagittal(
      SegmentationWriter.Labelling labelling, BitSet segmented) throws Exception {
    List<MrInstance> instances = sagittalInstances();
    DicomVolume volume = new SeriesAssembler().assemble(instances);
    return SegmentationWriter.write(
        new SegmentationWriter.Request(
            sagittalLabels(volume),
            segmented,
            labelling,
            MODEL,
            SegmentationSource.DicomSeries.of(volume, instances, 0.05),
            CREATED,
            901));
  }

  static SegmentationWriter.Written writeMetaImage(BitSet segmented) throws Exception {
    return SegmentationWriter.write(
        new SegmentationWriter.Request(
            metaImageLabels(),
            segmented,
            SegmentationWriter.Labelling.LEVELS,
            MODEL,
            new SegmentationSource.Volume("study-0042", "case-42"),
            CREATED,
            902));
  }

  /**
   * The sagittal T1's labels as if its slices were the frames of one Enhanced MR instance (its SOP
   * class, the first file's SOP Instance UID, frame k + 1 on slice k): Source Image items then name
   * their frame.
   */
  static SegmentationWriter.Written writeFromEnhanced(BitSet segmented) throws Exception {
    List<MrInstance> instances = sagittalInstances();
    DicomVolume volume = new SeriesAssembler().assemble(instances);
    SegmentationSource.DicomSeries series =
        SegmentationSource.DicomSeries.of(volume, instances, 0.05);
    List<SegmentationSource.SourceImage> frames = new java.util.ArrayList<>();
    for (int k = 0; k < volume.slices(); k++) {
      frames.add(
          new SegmentationSource.SourceImage(
              MrInstance.ENHANCED_MR_IMAGE_STORAGE, instances.get(0).sopInstanceUid(), k + 1));
    }
    return SegmentationWriter.write(
        new SegmentationWriter.Request(
            sagittalLabels(volume),
            segmented,
            SegmentationWriter.Labelling.LEVELS,
            MODEL,
            new SegmentationSource.DicomSeries(
                series.seriesInstanceUid(),
                series.studyInstanceUid(),
                series.frameOfReferenceUid(),
                series.patientAndStudy(),
                frames),
            CREATED,
            903));
  }

  @Test
  void framesOfAMultiFrameSourceAreNamed() throws Exception {
    DataSet seg = READER.readFile(writeFromEnhanced(slices(8, 3)).part10()).dataset();

    List<DataSet> perFrame = seg.sequence(DicomTag.PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE);
    ImageGeometry g = new SeriesAssembler().assemble(sagittalInstances()).image().geometry();
    List<FrameAttributes> attributes = FunctionalGroups.frames(seg, perFrame.size());
    for (int f = 0; f < perFrame.size(); f++) {
      DataSet source =
          perFrame
              .get(f)
              .sequence(DicomTag.DERIVATION_IMAGE_SEQUENCE)
              .get(0)
              .sequence(DicomTag.SOURCE_IMAGE_SEQUENCE)
              .get(0);
      DataElement frame = source.elements().get(SegmentationTags.REFERENCED_FRAME_NUMBER);
      int k = sliceOf(attributes.get(f).imagePositionPatient(), g);
      assertThat(new String(frame.value(), java.nio.charset.StandardCharsets.US_ASCII).strip())
          .isEqualTo(String.valueOf(k + 1));
    }
    // One instance referenced, once, however many of its frames are.
    DataSet series = seg.sequence(DicomTag.REFERENCED_SERIES_SEQUENCE).get(0);
    assertThat(series.elements().get(SegmentationTags.REFERENCED_INSTANCE_SEQUENCE).items())
        .hasSize(1);
  }

  @Test
  void sagittalSegReadsBackToTheVoxelsWritten() throws Exception {
    List<MrInstance> instances = sagittalInstances();
    DicomVolume volume = new SeriesAssembler().assemble(instances);
    Image label = sagittalLabels(volume);
    BitSet segmented = slices(8, 0, 5);

    SegmentationWriter.Written written =
        writeSagittal(SegmentationWriter.Labelling.LEVELS, segmented);
    SegmentationObject seg =
        SegmentationObject.read(READER.readFile(written.part10()), READER.limits());
    SegmentationLabels back = SegmentationLabels.map(seg, volume, 0.05);

    assertThat(written.segments())
        .extracting(SegmentationWriter.Segment::labelValue)
        .containsExactly(1, 2, 100, 202);
    assertThat(back.classes())
        .containsExactlyInAnyOrder(
            LabelledStructure.VERTEBRAE, LabelledStructure.CANAL, LabelledStructure.DISCS);
    assertSameVoxels(back.label(), label, segmented, false);
    // Slices 0 and 5 are labelled in the volume but not segmented: no frame lies on them.
    assertThat(seg.frames()).hasSize(4 * 6).hasSize(written.frames());
    ImageGeometry g = volume.image().geometry();
    for (SegmentationObject.Frame f : seg.frames()) {
      int k = sliceOf(f.attributes().imagePositionPatient(), g);
      assertThat(k).isNotIn(0, 5);
      assertThat(f.sourceSopInstanceUid())
          .isEqualTo(
              SegmentationSource.DicomSeries.of(volume, instances, 0.05)
                  .slices()
                  .get(k)
                  .sopInstanceUid());
    }
  }

  @Test
  void theSegSharesTheSourcesStudyPatientAndFrameOfReference() throws Exception {
    DataSet source = READER.readFile(DicomFiles.bytes("sag_t1_0001.dcm")).dataset();
    SegmentationWriter.Written written =
        writeSagittal(SegmentationWriter.Labelling.LEVELS, slices(8));
    DataSet seg = READER.readFile(written.part10()).dataset();

    for (DicomTag tag :
        List.of(
            DicomTag.STUDY_INSTANCE_UID,
            DicomTag.FRAME_OF_REFERENCE_UID,
            DicomTag.PATIENT_NAME,
            DicomTag.PATIENT_ID,
            DicomTag.STUDY_DATE,
            DicomTag.ACCESSION_NUMBER)) {
      assertThat(seg.string(tag)).as(tag.keyword()).isEqualTo(source.string(tag));
    }
    assertThat(seg.string(DicomTag.STUDY_INSTANCE_UID)).isNotNull();
    assertThat(seg.string(DicomTag.MODALITY)).isEqualTo("SEG");
    assertThat(seg.string(DicomTag.SERIES_INSTANCE_UID))
        .isEqualTo(written.seriesInstanceUid())
        .isNotEqualTo(source.string(DicomTag.SERIES_INSTANCE_UID));
    DataSet referenced = seg.sequence(DicomTag.REFERENCED_SERIES_SEQUENCE).get(0);
    assertThat(referenced.string(DicomTag.SERIES_INSTANCE_UID))
        .isEqualTo(source.string(DicomTag.SERIES_INSTANCE_UID));
    DataSet segment = seg.sequence(DicomTag.SEGMENT_SEQUENCE).get(0);
    assertThat(segment.string(DicomTag.SEGMENT_LABEL)).isEqualTo("L5 vertebra");
    DataSet type = segment.sequence(DicomTag.SEGMENTED_PROPERTY_TYPE_CODE_SEQUENCE).get(0);
    assertThat(type.string(DicomTag.CODE_VALUE)).isEqualTo("49668003");
  }

  @Test
  void classesReadBackAsTheMergedValues() throws Exception {
    List<MrInstance> instances = sagittalInstances();
    DicomVolume volume = new SeriesAssembler().assemble(instances);
    BitSet segmented = slices(8, 7);

    SegmentationWriter.Written written =
        writeSagittal(SegmentationWriter.Labelling.CLASSES, segmented);
    SegmentationObject seg =
        SegmentationObject.read(READER.readFile(written.part10()), READER.limits());
    SegmentationLabels back = SegmentationLabels.map(seg, volume, 0.05);

    assertThat(seg.segments().values())
        .extracting(SegmentationObject.Segment::typeCode)
        .containsExactlyInAnyOrder("51282000", "61853006", "IVD");
    assertSameVoxels(back.label(), sagittalLabels(volume), segmented, true);
  }

  @Test
  void theSameResultGetsTheSameUids() throws Exception {
    BitSet segmented = slices(8, 0, 5);
    SegmentationWriter.Written first =
        writeSagittal(SegmentationWriter.Labelling.LEVELS, segmented);
    SegmentationWriter.Written again =
        writeSagittal(SegmentationWriter.Labelling.LEVELS, segmented);
    SegmentationWriter.Written otherSlices =
        writeSagittal(SegmentationWriter.Labelling.LEVELS, slices(8, 0));

    assertThat(again.part10()).isEqualTo(first.part10());
    assertThat(first.sopInstanceUid()).matches("2\\.25\\.[1-9][0-9]{0,38}");
    assertThat(first.sopInstanceUid().length()).isLessThanOrEqualTo(64);
    assertThat(otherSlices.sopInstanceUid()).isNotEqualTo(first.sopInstanceUid());
    assertThat(otherSlices.seriesInstanceUid()).isNotEqualTo(first.seriesInstanceUid());

    List<MrInstance> instances = sagittalInstances();
    DicomVolume volume = new SeriesAssembler().assemble(instances);
    SegmentationWriter.Request request =
        new SegmentationWriter.Request(
            sagittalLabels(volume),
            segmented,
            SegmentationWriter.Labelling.LEVELS,
            MODEL,
            SegmentationSource.DicomSeries.of(volume, instances, 0.05),
            Instant.parse("2027-01-01T00:00:00Z"),
            901);
    SegmentationWriter.Written later = SegmentationWriter.write(request);
    assertThat(later.sopInstanceUid()).isEqualTo(first.sopInstanceUid());
    SegmentationWriter.Written otherVersion =
        SegmentationWriter.write(
            new SegmentationWriter.Request(
                request.label(),
                segmented,
                request.labelling(),
                new SegmentationWriter.Algorithm(MODEL.name(), "3.2.2"),
                request.source(),
                CREATED,
                901));
    assertThat(otherVersion.sopInstanceUid()).isNotEqualTo(first.sopInstanceUid());
    assertThat(otherVersion.studyInstanceUid()).isEqualTo(first.studyInstanceUid());
  }

  @Test
  void aVolumeWithoutDicomCarriesItsGeometry() throws Exception {
    Image label = metaImageLabels();
    BitSet segmented = slices(6, 2);

    SegmentationWriter.Written written = writeMetaImage(segmented);
    DicomFile file = READER.readFile(written.part10());
    DataSet seg = file.dataset();

    assertThat(seg.contains(DicomTag.REFERENCED_SERIES_SEQUENCE)).isFalse();
    assertThat(seg.string(DicomTag.FRAME_OF_REFERENCE_UID))
        .isEqualTo(written.frameOfReferenceUid())
        .isEqualTo(writeMetaImage(slices(6)).frameOfReferenceUid());
    assertThat(seg.string(DicomTag.STUDY_INSTANCE_UID)).isEqualTo(written.studyInstanceUid());
    assertThat(seg.string(DicomTag.PATIENT_ID)).isEqualTo("case-42");
    SegmentationObject object = SegmentationObject.readUnreferenced(file, READER.limits());
    assertThat(object.referencedSeriesUid()).isNull();
    SegmentationLabels back = SegmentationLabels.onGrid(object, label.geometry(), 0.05);
    assertSameVoxels(back.label(), label, segmented, false);
    // 5 segments (1, 2, 100, 201, 202) on the 5 segmented slices.
    assertThat(written.frames()).isEqualTo(25);
  }

  /**
   * MetaImage-like tilted, left-handed volume → SEG → read back onto the grid the SEG's own
   * functional groups define: the same grid (the slices run against row × column, as written), the
   * same voxels on the segmented slices, no frame on the others.
   */
  @Test
  void aVolumeWithoutDicomReadsBackOntoItsOwnGrid() throws Exception {
    Image label = metaImageLabels();
    ImageGeometry g = label.geometry();
    assertThat(determinant(g)).as("the fixture is left-handed").isCloseTo(-1, within(1e-9));
    BitSet segmented = slices(6, 2);

    SegmentationObject seg =
        SegmentationObject.readUnreferenced(
            READER.readFile(writeMetaImage(segmented).part10()), READER.limits());
    SegmentationLabels back = SegmentationLabels.onOwnGrid(seg, 0.05);

    assertThat(back.label().geometry().sameGrid(g, 1e-6))
        .as(back.label().geometry() + " vs " + g)
        .isTrue();
    assertSameVoxels(back.label(), label, segmented, false);
    assertThat(back.classes())
        .containsExactlyInAnyOrder(
            LabelledStructure.VERTEBRAE, LabelledStructure.CANAL, LabelledStructure.DISCS);
    BitSet withFrames = new BitSet();
    for (SegmentationObject.Frame f : seg.frames()) {
      withFrames.set(sliceOf(f.attributes().imagePositionPatient(), g));
    }
    assertThat(withFrames).isEqualTo(segmented);
  }

  /** The first and last slices not segmented: the SEG's own grid spans slices 1 to 4 only. */
  @Test
  void theOwnGridSpansTheFirstToTheLastFrame() throws Exception {
    Image label = metaImageLabels();
    ImageGeometry g = label.geometry();
    BitSet segmented = slices(6, 0, 2, 5);

    SegmentationObject seg =
        SegmentationObject.readUnreferenced(
            READER.readFile(writeMetaImage(segmented).part10()), READER.limits());
    ImageGeometry own = SegmentationGrid.of(seg, 0.05);
    Image back = SegmentationLabels.onOwnGrid(seg, 0.05).label();

    assertThat(own.size()).containsExactly(40, 32, 4);
    assertThat(own.origin()).containsExactly(SegmentationFrames.position(g, 1), within(1e-6));
    assertThat(own.direction()).containsExactly(g.direction(), within(1e-7));
    int plane = 40 * 32;
    for (int k = 0; k < 4; k++) {
      for (int p = 0; p < plane; p++) {
        int expected = expected(label, segmented, (long) (k + 1) * plane + p, false);
        assertThat((int) back.voxel((long) k * plane + p)).isEqualTo(expected);
      }
    }
  }

  @Test
  void framesThatMakeNoGridAreRefused() throws Exception {
    SegmentationObject seg =
        SegmentationObject.readUnreferenced(
            READER.readFile(writeMetaImage(slices(6, 2)).part10()), READER.limits());

    assertRefused(
        moved(seg, 3, new double[] {0.3, 0, 0}),
        ReasonCode.SEGMENTATION_GRID_MISMATCH,
        "ImagePositionPatient",
        "off slice");
    assertRefused(
        moved(seg, 3, new double[] {0, 0.6, 0}),
        ReasonCode.SEGMENTATION_GRID_MISMATCH,
        "ImagePositionPatient",
        "off frame 1's stack axis");
    assertRefused(
        moved(seg, 3, new double[] {-3.5 * 20_000, 0, 0}),
        ReasonCode.SEGMENTATION_GRID_MISMATCH,
        "ImagePositionPatient",
        "SegmentationGrid.MAX_SLICES");
    FrameAttributes third = seg.frames().get(2).attributes();
    assertRefused(
        replaced(seg, 2, new double[] {0, 1, 0, 0, 0, -1}, third.pixelSpacing()),
        ReasonCode.SEGMENTATION_GRID_MISMATCH,
        "ImageOrientationPatient",
        "not parallel");
    assertRefused(
        replaced(seg, 2, third.imageOrientationPatient(), new double[] {0.9, 0.9}),
        ReasonCode.SEGMENTATION_GRID_MISMATCH,
        "PixelSpacing",
        "differs from frame 1");
    assertRefused(
        replaced(seg, 4, third.imageOrientationPatient(), null),
        ReasonCode.MISSING_ATTRIBUTE,
        "PixelMeasuresSequence",
        "frame 5 has no PixelSpacing");
    // Our reader's series entry point still wants the series (ingest's SEG intake relies on it).
    DicomException e =
        catchThrowableOfType(
            DicomException.class,
            () ->
                SegmentationObject.read(
                    READER.readFile(writeMetaImage(slices(6)).part10()), READER.limits()));
    assertThat(e.reason()).isEqualTo(ReasonCode.MISSING_ATTRIBUTE);
    assertThat(e.field()).contains("ReferencedSeriesSequence");
  }

  private static void assertRefused(
      SegmentationObject seg, ReasonCode reason, String field, String message) {
    DicomException e =
        catchThrowableOfType(DicomException.class, () -> SegmentationLabels.onOwnGrid(seg, 0.05));
    assertThat(e).as("refused").isNotNull();
    assertThat(e.reason()).isEqualTo(reason);
    assertThat(e.field()).contains(field);
    assertThat(e.getMessage()).contains(message);
  }

  private static SegmentationObject moved(SegmentationObject seg, int frame, double[] by) {
    return with(
        seg,
        frame,
        a -> {
          double[] p = a.imagePositionPatient().clone();
          for (int i = 0; i < 3; i++) {
            p[i] += by[i];
          }
          return attributes(a, p, a.imageOrientationPatient(), a.pixelSpacing());
        });
  }

  /** Frame {@code frame} with another orientation and pixel spacing (null: absent). */
  private static SegmentationObject replaced(
      SegmentationObject seg, int frame, double[] orientation, double[] spacing) {
    return with(seg, frame, a -> attributes(a, a.imagePositionPatient(), orientation, spacing));
  }

  private static SegmentationObject with(
      SegmentationObject seg, int frame, java.util.function.UnaryOperator<FrameAttributes> change) {
    List<SegmentationObject.Frame> frames = new java.util.ArrayList<>(seg.frames());
    SegmentationObject.Frame f = frames.get(frame);
    frames.set(
        frame,
        new SegmentationObject.Frame(
            f.segmentNumber(), change.apply(f.attributes()), f.sourceSopInstanceUid(), f.mask()));
    return new SegmentationObject(
        seg.sopInstanceUid(),
        seg.seriesInstanceUid(),
        seg.referencedSeriesUid(),
        seg.rows(),
        seg.columns(),
        seg.segments(),
        frames);
  }

  private static FrameAttributes attributes(
      FrameAttributes a, double[] position, double[] orientation, double[] spacing) {
    return new FrameAttributes(
        position,
        orientation,
        spacing,
        a.sliceThickness(),
        a.spacingBetweenSlices(),
        a.rescaleSlope(),
        a.rescaleIntercept(),
        a.inStackPositionNumber(),
        a.temporalPositionIndex(),
        a.dimensionIndexValues());
  }

  private static double determinant(ImageGeometry g) {
    double[] d = g.direction();
    return d[0] * (d[4] * d[8] - d[5] * d[7])
        - d[1] * (d[3] * d[8] - d[5] * d[6])
        + d[2] * (d[3] * d[7] - d[4] * d[6]);
  }

  @Test
  void valuesWithoutACodeAreRefused() throws Exception {
    ImageGeometry g = ImageGeometry.of(4, 3, 2);
    byte[] voxels = new byte[24];
    voxels[13] = (byte) 150;
    SegmentationWriter.Request request =
        new SegmentationWriter.Request(
            Image.wrap(g, ElementType.UCHAR, voxels),
            slices(2),
            SegmentationWriter.Labelling.LEVELS,
            MODEL,
            new SegmentationSource.Volume("x", ""),
            CREATED,
            1);
    assertThatThrownBy(() -> SegmentationWriter.write(request))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("label value 150.0 at voxel (1, 0, 1)");

    voxels[13] = (byte) 255; // the labels module's "unknown", not a disc
    assertThatThrownBy(() -> SegmentationWriter.write(request))
        .hasMessageContaining("label value 255.0");

    voxels[13] = 30; // a 30th vertebra: a class, but no level code
    assertThatThrownBy(() -> SegmentationWriter.write(request))
        .hasMessageContaining("a level without a code");
    SegmentationWriter.Request classes =
        new SegmentationWriter.Request(
            Image.wrap(g, ElementType.UCHAR, voxels),
            slices(2),
            SegmentationWriter.Labelling.CLASSES,
            MODEL,
            new SegmentationSource.Volume("x", ""),
            CREATED,
            1);
    assertThat(classesFrames(classes)).isEqualTo(2);
    SegmentationWriter.Request nothing =
        new SegmentationWriter.Request(
            Image.wrap(g, ElementType.UCHAR, voxels),
            slices(2, 1),
            SegmentationWriter.Labelling.CLASSES,
            MODEL,
            new SegmentationSource.Volume("x", ""),
            CREATED,
            1);
    assertThatThrownBy(() -> SegmentationWriter.write(nothing))
        .hasMessageContaining("no voxel of a segmented slice is labelled");
  }

  @Test
  void oneTableCodesAndReadsEveryLevel() {
    List<Integer> values = new java.util.ArrayList<>(List.of(100));
    for (int v = 1; v <= 24; v++) {
      values.add(v);
    }
    for (int v = 201; v <= 208; v++) {
      values.add(v);
    }
    for (int v : values) {
      SegmentAnatomy.Code code = SegmentAnatomy.codeOf(v);
      assertThat(SegmentAnatomy.of(code.scheme(), code.value()).spiderValue()).isEqualTo(v);
    }
    assertThat(SegmentAnatomy.codeOf(1).meaning()).isEqualTo("L5 vertebra");
    assertThat(SegmentAnatomy.codeOf(24).meaning()).isEqualTo("C1 vertebra");
    assertThat(SegmentAnatomy.codeOf(201).meaning()).isEqualTo("L5/S1 disc");
    assertThat(SegmentAnatomy.codeOf(206).meaning()).isEqualTo("T12/L1 disc");
    assertThat(SegmentAnatomy.codeOf(208).meaning()).isEqualTo("T10/T11 disc");
    assertThat(SegmentAnatomy.codeOf(25)).isNull();
    assertThat(SegmentAnatomy.codeOf(209)).isNull();
    for (LabelledStructure s : LabelledStructure.values()) {
      SegmentAnatomy.Code code = SegmentAnatomy.classCode(s);
      assertThat(SegmentAnatomy.of(code.scheme(), code.value()).structure().spineClass())
          .isEqualTo(s.spineClass());
    }
    // The cord's code, which hospitals' SEGs carry, still reads as the canal.
    assertThat(SegmentAnatomy.of("SCT", "2748008").spiderValue()).isEqualTo(100);
  }

  private static int classesFrames(SegmentationWriter.Request request) throws Exception {
    return SegmentationWriter.write(request).frames();
  }

  static void assertSameVoxels(Image back, Image label, BitSet segmented, boolean classes) {
    assertThat(back.geometry().sameGrid(label.geometry(), 1e-6)).isTrue();
    long differences = 0;
    String first = null;
    for (long i = 0; i < label.voxelCount(); i++) {
      int expected = expected(label, segmented, i, classes);
      if ((int) back.voxel(i) != expected) {
        differences++;
        first = first == null ? "voxel " + i + ": " + back.voxel(i) + " not " + expected : first;
      }
    }
    assertThat(differences).as(String.valueOf(first)).isZero();
    long labelled = 0;
    for (long i = 0; i < back.voxelCount(); i++) {
      labelled += back.voxel(i) != 0 ? 1 : 0;
    }
    assertThat(labelled).as("a round trip of nothing proves nothing").isGreaterThan(1000);
  }

  /** The slice index a position lies on, along the volume's third axis. */
  static int sliceOf(double[] position, ImageGeometry g) {
    double along = 0;
    for (int i = 0; i < 3; i++) {
      along += (position[i] - g.origin()[i]) * g.direction(i, 2);
    }
    long k = Math.round(along / g.spacing()[2]);
    assertThat(Math.abs(along - k * g.spacing()[2])).isLessThan(1e-3);
    return (int) k;
  }
}
