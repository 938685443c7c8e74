package io.spineflow.imaging.dicom;

import static io.spineflow.imaging.dicom.MeasurementReportFixtures.*;
import static io.spineflow.imaging.dicom.SegmentationFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.spineflow.imaging.levels.LevelMeasurement;
import io.spineflow.imaging.levels.LevelReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The content {@link MeasurementReportWriter} writes, read back with spineflow's own reader: one
 * group per measured, numbered level with exactly the report's numbers, segment or image
 * references, the study shared with the source, deterministic UIDs. Foreign tools check the same
 * files in {@link MeasurementReportToolsTest}.
 */
class MeasurementReportWriterTest {

  @Test
  void sagittalGroupsReferenceTheirSegmentOrTheirImage() throws Exception {
    List<MrInstance> instances = sagittalInstances();
    DicomVolume volume = new SeriesAssembler().assemble(instances);
    SegmentationSource.DicomSeries source =
        SegmentationSource.DicomSeries.of(volume, instances, 0.05);
    SegmentationWriter.Written seg =
        SegmentationWriterTest.writeSagittal(SegmentationWriter.Labelling.LEVELS, slices(8, 0, 5));
    MeasurementReportWriter.Written written = writeSagittalReport(sagittalReport());
    DataSet sr = READER.readFile(written.part10()).dataset();

    assertThat(written.groups()).containsExactly("L5/S1", "L5", "L4/L5", "L4");
    assertThat(written.measurements()).isEqualTo(4 + 3 + 3 + 3);
    assertThat(sr.string(DicomTag.SOP_CLASS_UID)).isEqualTo("1.2.840.10008.5.1.4.1.1.88.22");
    assertThat(sr.string(DicomTag.MODALITY)).isEqualTo("SR");
    DataSet first = instances.get(0).image().dataset();
    for (DicomTag tag :
        List.of(DicomTag.STUDY_INSTANCE_UID, DicomTag.PATIENT_ID, DicomTag.PATIENT_NAME)) {
      assertThat(sr.string(tag)).as(tag.keyword()).isEqualTo(first.string(tag));
    }
    List<DataSet> groups = groups(sr);
    assertThat(groups).hasSize(4);
    // L5/S1: no segment in the SEG, so TID 1501; its numbers name the image of slice 3.
    assertThat(template(groups.get(0))).isEqualTo("1501");
    for (DataSet num : children(groups.get(0), "NUM")) {
      DataSet image = children(num, "IMAGE").get(0);
      assertThat(referencedSop(image).string(DicomTag.REFERENCED_SOP_INSTANCE_UID))
          .isEqualTo(source.slices().get(3).sopInstanceUid());
    }
    // L5, L4/L5, L4: TID 1411, the SEG's segment for the level and the source series.
    int[] values = {1, 202, 2};
    for (int i = 1; i < 4; i++) {
      DataSet group = groups.get(i);
      assertThat(template(group)).isEqualTo("1411");
      DataSet sop = referencedSop(children(group, "IMAGE").get(0));
      assertThat(sop.string(DicomTag.REFERENCED_SOP_INSTANCE_UID)).isEqualTo(seg.sopInstanceUid());
      int value = values[i - 1];
      long segment =
          seg.segments().stream().filter(s -> s.labelValue() == value).findFirst().get().number();
      assertThat(sop.integer(DicomTag.REFERENCED_SEGMENT_NUMBER)).isEqualTo(segment);
      assertThat(str(children(group, "UIDREF").get(1), SrTags.UID))
          .isEqualTo(source.seriesInstanceUid());
      assertThat(conceptCode(child(group, "CODE", "121071")).string(DicomTag.CODE_VALUE))
          .isEqualTo(SegmentAnatomy.codeOf(value).value());
    }
    assertThat(numbers(groups.get(2)))
        .containsExactly(
            "121207 255549009 12.00", "121207 255551008 7.50", "81827009 61853006 16.00");
  }

  @Test
  void phantomLevelsAreWrittenAsMeasured() throws Exception {
    LevelReport report = phantomReport();
    MeasurementReportWriter.Written written = writePhantom(report);
    DataSet sr = READER.readFile(written.part10()).dataset();

    List<String> expected = new ArrayList<>();
    List<String> expectedNumbers = new ArrayList<>();
    for (LevelMeasurement l : report.levels()) {
      Integer value = SegmentAnatomy.valueOfLevel(l.name());
      if (value != null && MeasurementReportWriter.measured(l)) {
        expected.add(l.name());
        add(expectedNumbers, "121207 255549009", l.anteriorMm());
        add(expectedNumbers, "121207 26216008", l.middleMm());
        add(expectedNumbers, "121207 255551008", l.posteriorMm());
        add(expectedNumbers, "81827009 61853006", l.canalApMm());
      }
    }
    assertThat(expected)
        .as("phantom-3-t2 measures L5/S1 to L1/L2 and L5 to L1")
        .hasSizeGreaterThan(9);
    assertThat(written.groups()).containsExactlyElementsOf(expected);
    List<String> numbers = new ArrayList<>();
    for (DataSet group : groups(sr)) {
      assertThat(template(group)).isEqualTo("1501");
      assertThat(children(group, "IMAGE")).isEmpty();
      numbers.addAll(numbers(group));
    }
    assertThat(numbers).containsExactlyElementsOf(expectedNumbers);
    assertThat(sr.elements().containsKey(SrTags.CURRENT_REQUESTED_PROCEDURE_EVIDENCE_SEQUENCE))
        .isFalse();
    assertThat(sr.string(DicomTag.STUDY_INSTANCE_UID))
        .isEqualTo(
            SegmentationWriter.write(
                    new SegmentationWriter.Request(
                        metaImageLabels(),
                        slices(6),
                        SegmentationWriter.Labelling.LEVELS,
                        MODEL,
                        new SegmentationSource.Volume("phantom-3-t2", "case-3"),
                        CREATED,
                        1))
                .studyInstanceUid());
  }

  @Test
  void theSameReportGetsTheSameUids() throws Exception {
    LevelReport report = sagittalReport();
    MeasurementReportWriter.Written first = writeSagittalReport(report);
    MeasurementReportWriter.Written again = writeSagittalReport(report);
    assertThat(again.part10()).isEqualTo(first.part10());

    List<MrInstance> instances = sagittalInstances();
    DicomVolume volume = new SeriesAssembler().assemble(instances);
    MeasurementReportWriter.Written later =
        MeasurementReportWriter.write(
            new MeasurementReportWriter.Request(
                report,
                SegmentationSource.DicomSeries.of(volume, instances, 0.05),
                MeasurementReportWriter.SegmentationReference.of(
                    SegmentationWriterTest.writeSagittal(
                        SegmentationWriter.Labelling.LEVELS, slices(8, 0, 5))),
                MODEL,
                Instant.parse("2027-03-01T08:00:00Z"),
                904));
    assertThat(later.sopInstanceUid()).isEqualTo(first.sopInstanceUid());
    assertThat(later.seriesInstanceUid()).isEqualTo(first.seriesInstanceUid());

    List<LevelMeasurement> levels = new ArrayList<>(report.levels());
    LevelMeasurement l5 = levels.get(2);
    levels.set(
        2,
        new LevelMeasurement(
            l5.order(),
            l5.name(),
            l5.kind(),
            true,
            l5.sliceIndex(),
            l5.positionMm(),
            l5.anteriorMm() + 0.5,
            l5.middleMm(),
            l5.posteriorMm(),
            null,
            List.of()));
    MeasurementReportWriter.Written other =
        writeSagittalReport(new LevelReport(2, 4, 0.9375, 0.9375, 3, 2, levels, report.flags()));
    assertThat(other.sopInstanceUid()).isNotEqualTo(first.sopInstanceUid());
    assertThat(first.sopInstanceUid()).matches("2\\.25\\.[1-9][0-9]{0,38}");
    // A level keeps its tracking UID across reports of the study.
    assertThat(trackingUids(other)).isEqualTo(trackingUids(first));
  }

  @Test
  void aReportWithoutMeasurementsIsRefused() {
    LevelReport empty =
        new LevelReport(
            2,
            0,
            1,
            1,
            0,
            0,
            List.of(
                new LevelMeasurement(
                    0,
                    "L5/S1",
                    LevelMeasurement.Kind.DISC,
                    false,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    List.of())),
            List.of("NO_DISC: none"));
    assertThatThrownBy(() -> writePhantom(empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nothing to report");
    LevelReport nan =
        new LevelReport(
            2,
            0,
            1,
            1,
            1,
            0,
            List.of(
                new LevelMeasurement(
                    0,
                    "L5/S1",
                    LevelMeasurement.Kind.DISC,
                    true,
                    0,
                    0.0,
                    10.0,
                    Double.NaN,
                    8.0,
                    null,
                    List.of())),
            List.of());
    assertThatThrownBy(() -> writePhantom(nan))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("L5/S1 Central height: NaN mm");
  }

  @Test
  void levelNamesMapOntoTheSegmentTable() {
    assertThat(SegmentAnatomy.valueOfLevel("L5/S1")).isEqualTo(201);
    assertThat(SegmentAnatomy.valueOfLevel("L1/L2")).isEqualTo(205);
    assertThat(SegmentAnatomy.valueOfLevel("T12/L1")).isEqualTo(206);
    assertThat(SegmentAnatomy.valueOfLevel("L5")).isEqualTo(1);
    assertThat(SegmentAnatomy.valueOfLevel("L1")).isEqualTo(5);
    assertThat(SegmentAnatomy.valueOfLevel("S1")).isNull();
    assertThat(SegmentAnatomy.valueOfLevel("?2")).isNull();
    assertThat(SegmentAnatomy.valueOfLevel("L4/L3")).isNull();
    assertThat(SegmentAnatomy.valueOfLevel("T3/T4")).isNull(); // no code kept for it
  }

  private static void add(List<String> out, String concept, Double mm) {
    if (mm != null) {
      out.add(concept + " " + String.format(java.util.Locale.ROOT, "%.2f", mm));
    }
  }

  private static List<String> trackingUids(MeasurementReportWriter.Written w) throws Exception {
    List<String> out = new ArrayList<>();
    for (DataSet g : groups(READER.readFile(w.part10()).dataset())) {
      out.add(str(children(g, "UIDREF").get(0), SrTags.UID));
    }
    return out;
  }

  /** "concept modifier value" of each NUM of a group, the value as written. */
  static List<String> numbers(DataSet group) throws DicomException {
    List<String> out = new ArrayList<>();
    for (DataSet num : children(group, "NUM")) {
      DataSet modifier = children(num, "CODE").get(0);
      DataSet measured = seq(num, SrTags.MEASURED_VALUE_SEQUENCE).get(0);
      double value = Double.parseDouble(str(measured, SrTags.NUMERIC_VALUE));
      DataSet unit = seq(measured, SrTags.MEASUREMENT_UNITS_CODE_SEQUENCE).get(0);
      assertThat(unit.string(DicomTag.CODE_VALUE)).isEqualTo("mm");
      assertThat(unit.string(DicomTag.CODING_SCHEME_DESIGNATOR)).isEqualTo("UCUM");
      assertThat(value).isCloseTo(Math.round(value * 100) / 100.0, within(1e-9));
      out.add(
          conceptName(num).string(DicomTag.CODE_VALUE)
              + " "
              + conceptCode(modifier).string(DicomTag.CODE_VALUE)
              + " "
              + String.format(java.util.Locale.ROOT, "%.2f", value));
    }
    return out;
  }

  /** The Measurement Groups under Imaging Measurements. */
  static List<DataSet> groups(DataSet sr) throws DicomException {
    DataSet measurements = child(sr, "CONTAINER", "126010");
    return children(measurements, "CONTAINER");
  }

  static List<DataSet> children(DataSet item, String valueType) throws DicomException {
    List<DataSet> out = new ArrayList<>();
    for (DataSet c : seq(item, SrTags.CONTENT_SEQUENCE)) {
      if (valueType.equals(str(c, SrTags.VALUE_TYPE))) {
        out.add(c);
      }
    }
    return out;
  }

  static DataSet child(DataSet item, String valueType, String concept) throws DicomException {
    for (DataSet c : children(item, valueType)) {
      if (concept.equals(conceptName(c).string(DicomTag.CODE_VALUE))) {
        return c;
      }
    }
    throw new AssertionError("no " + valueType + " " + concept);
  }

  static DataSet conceptName(DataSet item) {
    return seq(item, SrTags.CONCEPT_NAME_CODE_SEQUENCE).get(0);
  }

  static DataSet conceptCode(DataSet item) {
    return seq(item, SrTags.CONCEPT_CODE_SEQUENCE).get(0);
  }

  static DataSet referencedSop(DataSet image) {
    return seq(image, SrTags.REFERENCED_SOP_SEQUENCE).get(0);
  }

  static List<DataSet> seq(DataSet data, int tag) {
    DataElement e = data.elements().get(tag);
    return e == null ? List.of() : e.items();
  }

  static String str(DataSet data, int tag) {
    DataElement e = data.elements().get(tag);
    return e == null
        ? null
        : new String(e.value(), java.nio.charset.StandardCharsets.US_ASCII)
            .replace("\0", "")
            .strip();
  }

  static String template(DataSet container) throws DicomException {
    return str(seq(container, SrTags.CONTENT_TEMPLATE_SEQUENCE).get(0), SrTags.TEMPLATE_IDENTIFIER);
  }
}
