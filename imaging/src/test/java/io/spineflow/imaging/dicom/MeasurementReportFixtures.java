package io.spineflow.imaging.dicom;

import static io.spineflow.imaging.dicom.SegmentationFixtures.*;

import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.levels.LabelScheme;
import io.spineflow.imaging.levels.LevelAnalyzer;
import io.spineflow.imaging.levels.LevelMeasurement;
import io.spineflow.imaging.levels.LevelReport;
import io.spineflow.imaging.phantom.PhantomGenerator;
import io.spineflow.imaging.phantom.PhantomSpec;
import java.util.List;

/**
 * Reports the measurement report tests write: a phantom's levels, and levels of the vendored T1.
 */
final class MeasurementReportFixtures {
  private MeasurementReportFixtures() {}

  /** phantom-3-t2's per-level analysis (as {@code PhantomLevelsTest} measures it). */
  static LevelReport phantomReport() {
    PhantomGenerator generator = new PhantomGenerator();
    return LevelAnalyzer.report(
        generator.generate(PhantomSpec.of(Sequence.T2, 3)).mask(), LabelScheme.SPIDER);
  }

  /** The phantom's report for a volume without DICOM, no SEG referenced (TID 1501 groups). */
  static MeasurementReportWriter.Written writePhantom(LevelReport report) throws Exception {
    return MeasurementReportWriter.write(
        new MeasurementReportWriter.Request(
            report,
            new SegmentationSource.Volume("phantom-3-t2", "case-3"),
            null,
            MODEL,
            CREATED,
            903));
  }

  /**
   * Levels as if measured on the vendored sagittal T1 (8 slices, the slice axis is left-right),
   * where its LEVELS SEG ({@link SegmentationWriterTest#writeSagittal}) has segments for L5 (1), L4
   * (2) and L4/L5 (202): those three are TID 1411 groups referencing their segment; L5/S1 has no
   * segment (a TID 1501 group whose numbers name the image of slice 3); a placeholder disc, the
   * sacrum and an unnumbered structure are left out, and so are null measurements.
   */
  static LevelReport sagittalReport() {
    return new LevelReport(
        2,
        4,
        0.9375,
        0.9375,
        3,
        2,
        List.of(
            level(0, "S1", LevelMeasurement.Kind.SACRUM, true, 4, 30.1, 28.0, 25.2, null),
            level(1, "L5/S1", LevelMeasurement.Kind.DISC, true, 3, 11.4, 9.8, 6.05, 15.25),
            level(2, "L5", LevelMeasurement.Kind.BODY, true, 4, 27.5, 26.0, 25.5, null),
            level(3, "L4/L5", LevelMeasurement.Kind.DISC, true, 4, 12.0, null, 7.5, 16.0),
            level(4, "L4", LevelMeasurement.Kind.BODY, true, 4, 26.75, 25.5, 26.25, null),
            level(5, "L3/L4", LevelMeasurement.Kind.DISC, false, null, null, null, null, null),
            level(6, "?1", LevelMeasurement.Kind.BODY, true, 4, 20.0, 20.0, 20.0, null)),
        List.of("MISSING_DISC: L3/L4 between L4 and L3"));
  }

  static MeasurementReportWriter.Written writeSagittalReport(LevelReport report) throws Exception {
    List<MrInstance> instances = sagittalInstances();
    DicomVolume volume = new SeriesAssembler().assemble(instances);
    SegmentationWriter.Written seg =
        SegmentationWriterTest.writeSagittal(SegmentationWriter.Labelling.LEVELS, slices(8, 0, 5));
    return MeasurementReportWriter.write(
        new MeasurementReportWriter.Request(
            report,
            SegmentationSource.DicomSeries.of(volume, instances, 0.05),
            MeasurementReportWriter.SegmentationReference.of(seg),
            MODEL,
            CREATED,
            904));
  }

  private static LevelMeasurement level(
      int order,
      String name,
      LevelMeasurement.Kind kind,
      boolean found,
      Integer slice,
      Double anterior,
      Double middle,
      Double posterior,
      Double canal) {
    return new LevelMeasurement(
        order,
        name,
        kind,
        found,
        slice,
        found ? 10.0 * order : null,
        anterior,
        middle,
        posterior,
        canal,
        List.of());
  }
}
