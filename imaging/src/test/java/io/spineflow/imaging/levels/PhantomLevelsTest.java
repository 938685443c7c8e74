package io.spineflow.imaging.levels;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.phantom.PhantomGenerator;
import io.spineflow.imaging.phantom.PhantomLevel;
import io.spineflow.imaging.phantom.PhantomSpec;
import io.spineflow.imaging.phantom.PhantomStudy;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Measurements on phantom studies against what the generator knows of each level ({@link
 * PhantomGenerator#levels}), and the numbering against the phantom's own SPIDER labels.
 */
class PhantomLevelsTest {
  private final PhantomGenerator generator = new PhantomGenerator();

  /**
   * Tolerances: heights within 1.0 mm (about one pixel: each boundary of a label drawn by voxel
   * centre is within half a pixel); the canal within 1.0 mm (the same, plus the narrowing of the
   * elliptic canal when the slice misses the midline by up to half a slice).
   */
  private static final double HEIGHT_TOLERANCE_MM = 1.0;

  private static final double CANAL_TOLERANCE_MM = 1.0;

  @ParameterizedTest
  @CsvSource({"T2,3,false", "T1,11,false", "T2_SPACE,5,false", "T2,104,true"})
  void phantomLevelsMatchTheGeneratorsTruth(Sequence sequence, long seed, boolean randomised) {
    PhantomSpec spec = PhantomSpec.of(sequence, seed).withRandomised(randomised);
    PhantomStudy study = generator.generate(spec);
    List<PhantomLevel> truth = generator.levels(spec);

    LevelAnalysis analysis = LevelAnalyzer.analyse(study.mask(), LabelScheme.SPIDER, -1);
    LevelReport report = analysis.report();

    NumberingCheck.Result numbering =
        NumberingCheck.compare(analysis, study.mask(), NumberingCheck::spiderFromBottom);
    assertThat(numbering.mismatches()).isEmpty();
    assertThat(numbering.compared()).isEqualTo(report.levels().size());
    assertThat(report.discsFound()).isEqualTo(study.truth().discLabels().size());

    double heightError = 0;
    double canalError = 0;
    int measured = 0;
    for (PhantomLevel t : truth) {
      var disc = report.level(LevelNames.disc(t.level()));
      var body = report.level(LevelNames.vertebra(t.level()));
      if (disc.isPresent() && disc.get().middleMm() != null) {
        heightError =
            Math.max(
                heightError,
                worst(disc.get(), t.discAnteriorMm(), t.discMiddleMm(), t.discPosteriorMm()));
        measured++;
      }
      if (disc.isPresent() && disc.get().canalApMm() != null) {
        canalError = Math.max(canalError, Math.abs(disc.get().canalApMm() - t.canalApMm()));
      }
      if (body.isPresent() && body.get().middleMm() != null) {
        heightError =
            Math.max(
                heightError,
                worst(body.get(), t.bodyAnteriorMm(), t.bodyMiddleMm(), t.bodyPosteriorMm()));
        measured++;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%s: %d structures measured on slice %d (%.2f x %.2f mm pixels), worst height error %.2f"
            + " mm, worst canal error %.2f mm, flags %s%n",
        study.studyId(),
        measured,
        report.sliceIndex(),
        report.spacingAMm(),
        report.spacingBMm(),
        heightError,
        canalError,
        report.flags());
    assertThat(measured).isGreaterThanOrEqualTo(8);
    assertThat(heightError).isLessThanOrEqualTo(HEIGHT_TOLERANCE_MM);
    assertThat(canalError).isLessThanOrEqualTo(CANAL_TOLERANCE_MM);
  }

  private static double worst(
      LevelMeasurement m, double anterior, double middle, double posterior) {
    return Math.max(
        Math.abs(m.anteriorMm() - anterior),
        Math.max(Math.abs(m.middleMm() - middle), Math.abs(m.posteriorMm() - posterior)));
  }
}
