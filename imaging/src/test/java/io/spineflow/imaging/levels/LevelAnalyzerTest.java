package io.spineflow.imaging.levels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.spineflow.imaging.ElementType;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import io.spineflow.imaging.levels.LevelMeasurement.Kind;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LevelAnalyzerTest {

  private static List<String> names(LevelReport report) {
    return report.levels().stream().map(LevelMeasurement::name).toList();
  }

  private static final List<String> FIVE_LEVELS =
      List.of("L5/S1", "L5", "L4/L5", "L4", "L3/L4", "L3", "L2/L3", "L2", "L1/L2", "L1");

  /** Largest |measured - true| over every height and canal diameter of the spine's levels. */
  private static double worstError(SyntheticSpine spine, LevelReport report) {
    double worst = 0;
    double[] depths = {-5 * spine.depth / 6, -spine.depth / 2, -spine.depth / 6};
    for (int k = 1; k <= spine.discHeights.length; k++) {
      LevelMeasurement disc = report.level(LevelNames.disc(k)).orElseThrow();
      LevelMeasurement body = report.level(LevelNames.vertebra(k)).orElseThrow();
      Double[] discs = {disc.anteriorMm(), disc.middleMm(), disc.posteriorMm()};
      Double[] bodies = {body.anteriorMm(), body.middleMm(), body.posteriorMm()};
      for (int third = 0; third < 3; third++) {
        worst = Math.max(worst, Math.abs(discs[third] - spine.discHeightAt(k, depths[third])));
        worst = Math.max(worst, Math.abs(bodies[third] - spine.bodyHeightAt(k, depths[third])));
      }
      worst = Math.max(worst, Math.abs(disc.canalApMm() - spine.canal));
    }
    return worst;
  }

  @Test
  void straightSpineIsNumberedFromTheSacrumAndMeasuredWithinAPixel() {
    SyntheticSpine spine = new SyntheticSpine();

    LevelReport report = LevelAnalyzer.report(spine.paint(), LabelScheme.SPIDER);

    assertThat(names(report)).isEqualTo(FIVE_LEVELS);
    assertThat(report.discsFound()).isEqualTo(5);
    assertThat(report.bodiesFound()).isEqualTo(5);
    assertThat(report.flags()).isEmpty();
    assertThat(report.levels()).allSatisfy(l -> assertThat(l.flags()).isEmpty());
    // The canal (x in [-5, 11] mm) covers the slices at x = -2, 2, 6, 10: centroid 10.5 → 11.
    assertThat(report.sliceIndex()).isEqualTo(11);
    LevelMeasurement l4l5 = report.level("L4/L5").orElseThrow();
    assertThat(l4l5.middleMm()).isCloseTo(11.6, within(1.0));
    assertThat(l4l5.canalApMm()).isCloseTo(13.7, within(1.0));
    double error = worstError(spine, report);
    System.out.printf(Locale.ROOT, "straight, 1 mm pixels: worst error %.2f mm%n", error);
    // Tolerance: one pixel (1 mm) — a label drawn by voxel centre places each boundary within
    // half a pixel.
    assertThat(error).isLessThanOrEqualTo(1.0);
  }

  @Test
  void curvedTiltedAnisotropicSpineIsMeasuredAlongItsOwnAxis() {
    SyntheticSpine spine = new SyntheticSpine();
    spine.radius = 220;
    spine.tiltDegrees = 30;
    spine.base = new double[] {-2, 20, -110};
    // Array axes permuted and flipped: 0 = superior-inferior (flipped), 1 = left-right, 2 = AP.
    spine.direction = new double[] {0, 1, 0, 0, 0, -1, -1, 0, 0};
    spine.size = new int[] {300, 16, 230};
    spine.spacing = new double[] {1.1, 4.5, 0.6};
    spine.centre = new double[] {0, 10, 0};

    LevelReport report = LevelAnalyzer.report(spine.paint(), LabelScheme.SPIDER);

    assertThat(names(report)).isEqualTo(FIVE_LEVELS);
    assertThat(report.sagittalAxis()).isEqualTo(1);
    assertThat(report.flags()).isEmpty();
    // Wedge: taller in front, as the lordosis makes it.
    LevelMeasurement l3l4 = report.level("L3/L4").orElseThrow();
    assertThat(l3l4.anteriorMm()).isGreaterThan(l3l4.posteriorMm());
    double error = worstError(spine, report);
    System.out.printf(
        Locale.ROOT, "curved, tilted, 1.1 x 0.6 mm pixels: worst error %.2f mm%n", error);
    // Tolerance: the coarser pixel spacing (1.1 mm).
    assertThat(error).isLessThanOrEqualTo(1.1);
  }

  @Test
  void aSpineRotatedAgainstTheGridIsMeasuredOnEachLevelsOwnSlice() {
    SyntheticSpine spine = new SyntheticSpine();
    spine.ellipticCanal = true;
    // The grid turns 8° about the AP axis: the midline drifts 26 mm (6 slices) from L5/S1 to L1.
    double angle = Math.toRadians(8);
    spine.direction =
        new double[] {
          Math.cos(angle), 0, Math.sin(angle), 0, 1, 0, -Math.sin(angle), 0, Math.cos(angle)
        };
    spine.size = new int[] {30, 160, 280};

    LevelReport report = LevelAnalyzer.report(spine.paint(), LabelScheme.SPIDER);

    assertThat(names(report)).isEqualTo(FIVE_LEVELS);
    int bottom = report.level("L5/S1").orElseThrow().sliceIndex();
    int top = report.level("L1/L2").orElseThrow().sliceIndex();
    assertThat(Math.abs(top - bottom)).isGreaterThanOrEqualTo(4);
    double error = worstError(spine, report);
    System.out.printf(
        Locale.ROOT, "rotated 8° against the grid, 4 mm slices: worst error %.2f mm%n", error);
    // Tolerance 1 mm: a pixel, plus the elliptic canal narrowing up to half a slice off the
    // midline.
    assertThat(error).isLessThanOrEqualTo(1.0);
  }

  @Test
  void aNickInTheCanalOnOneLineDoesNotPullTheDiameterDown() {
    SyntheticSpine spine = new SyntheticSpine();
    Image labels = spine.paint();
    byte[] data = labels.data();
    // L4/L5's mid-plane lies at z = -77.85: the canal line 1 mm above it samples the row z = -76.5
    // (k = 63). Unlabel the back of the canal there (y > -5 mm, j > 74), on every slice.
    int[] size = spine.size;
    for (int i = 0; i < size[0]; i++) {
      for (int j = 75; j < size[1]; j++) {
        int index = i + size[0] * (j + size[1] * 63);
        data[index] = data[index] == 100 ? 0 : data[index];
      }
    }

    LevelReport report =
        LevelAnalyzer.report(
            new Image(labels.geometry(), ElementType.UCHAR, data), LabelScheme.SPIDER);

    assertThat(report.level("L4/L5").orElseThrow().canalApMm()).isCloseTo(13.7, within(1.0));
  }

  @Test
  void aMissingDiscIsAPlaceholderAndTheVertebraeAboveKeepTheirNames() {
    SyntheticSpine spine = new SyntheticSpine();
    spine.missingDiscs = new int[] {3};

    LevelReport report = LevelAnalyzer.report(spine.paint(), LabelScheme.SPIDER);

    assertThat(names(report)).isEqualTo(FIVE_LEVELS);
    LevelMeasurement missing = report.level("L3/L4").orElseThrow();
    assertThat(missing.found()).isFalse();
    assertThat(missing.middleMm()).isNull();
    assertThat(missing.sliceIndex()).isNull();
    assertThat(missing.flags())
        .anyMatch(f -> f.startsWith("MISSING_DISC: no disc between L3 and L4"))
        .anyMatch(f -> f.startsWith("NOT_MEASURED"));
    assertThat(report.flags()).anyMatch(f -> f.startsWith("MISSING_DISC"));
    assertThat(report.discsFound()).isEqualTo(4);
    assertThat(report.level("L2/L3").orElseThrow().middleMm()).isCloseTo(10.8, within(1.0));
  }

  @Test
  void aDiscSplitFrontToBackStaysOneLevel() {
    SyntheticSpine spine = new SyntheticSpine();
    spine.splitDisc = 2;

    LevelReport report = LevelAnalyzer.report(spine.paint(), LabelScheme.SPIDER);

    assertThat(names(report)).isEqualTo(FIVE_LEVELS);
    assertThat(report.discsFound()).isEqualTo(5);
    assertThat(report.flags())
        .anyMatch(f -> f.startsWith("FRAGMENTS_IGNORED: a second disc component"))
        .noneMatch(f -> f.startsWith("MISSING_BODY"));
  }

  @Test
  void aMissingBodyIsAPlaceholderAndItsDiscsAreOutOfOrder() {
    SyntheticSpine spine = new SyntheticSpine();
    spine.missingBodies = new int[] {2};

    LevelReport report = LevelAnalyzer.report(spine.paint(), LabelScheme.SPIDER);

    assertThat(names(report)).isEqualTo(FIVE_LEVELS);
    assertThat(report.level("L4").orElseThrow().found()).isFalse();
    assertThat(report.flags())
        .anyMatch(f -> f.startsWith("MISSING_BODY"))
        .anyMatch(f -> f.startsWith("ORDER: 2 discs"));
    assertThat(report.level("L4/L5").orElseThrow().flags())
        .anyMatch(f -> f.startsWith("ORDER: disc not between two bodies"));
  }

  @Test
  void aLabelledSacrumIsNamedS1AndPosteriorElementsAreNotBodies() {
    SyntheticSpine spine = new SyntheticSpine();
    spine.sacrumLabelled = true;

    LevelReport report = LevelAnalyzer.report(spine.paint(), LabelScheme.SPIDER);

    assertThat(report.levels().get(0).name()).isEqualTo("S1");
    assertThat(report.levels().get(0).kind()).isEqualTo(Kind.SACRUM);
    assertThat(names(report).subList(1, 11)).isEqualTo(FIVE_LEVELS);
    assertThat(report.bodiesFound()).isEqualTo(5);
    assertThat(report.flags()).isEmpty();
  }

  @Test
  void mergedClassesGiveTheSameReportAsSpiderValues() {
    SyntheticSpine spider = new SyntheticSpine();
    SyntheticSpine merged = new SyntheticSpine();
    merged.merged = true;

    LevelReport a = LevelAnalyzer.report(spider.paint(), LabelScheme.SPIDER);
    LevelReport b = LevelAnalyzer.report(merged.paint(), LabelScheme.MERGED);

    assertThat(b).isEqualTo(a);
  }

  @Test
  void tooFewAndTooManyDiscsAreFlagged() {
    SyntheticSpine three = new SyntheticSpine();
    three.discHeights = new double[] {10, 11, 12};
    three.bodyHeights = new double[] {26, 27, 27};
    SyntheticSpine seven = new SyntheticSpine();
    seven.discHeights = new double[] {9, 9, 9, 9, 8, 8, 7};
    seven.bodyHeights = new double[] {22, 22, 22, 22, 21, 21, 20};
    seven.base = new double[] {3, -10, -125};

    LevelReport low = LevelAnalyzer.report(three.paint(), LabelScheme.SPIDER);
    LevelReport high = LevelAnalyzer.report(seven.paint(), LabelScheme.SPIDER);

    assertThat(low.flags()).anyMatch(f -> f.startsWith("LEVEL_COUNT_LOW: 3 discs"));
    assertThat(high.flags()).anyMatch(f -> f.startsWith("LEVEL_COUNT_HIGH: 7 discs"));
    assertThat(names(high)).contains("T12/L1", "T12", "T11/T12", "T11");
  }

  @Test
  void aThinLowestDiscIsFlaggedAsPossiblyTransitional() {
    SyntheticSpine spine = new SyntheticSpine();
    spine.discHeights = new double[] {3, 11.6, 12.2, 10.8, 9.7};

    LevelReport report = LevelAnalyzer.report(spine.paint(), LabelScheme.SPIDER);

    assertThat(names(report)).isEqualTo(FIVE_LEVELS);
    assertThat(report.level("L5/S1").orElseThrow().flags())
        .anyMatch(f -> f.startsWith("POSSIBLE_TRANSITIONAL"));
  }

  @Test
  void aBodyCutByTheFieldOfViewIsNotMeasured() {
    SyntheticSpine spine = new SyntheticSpine();
    spine.base = new double[] {3, -10, -40}; // L1's top (z = 145.4) leaves it at z = 139.5

    LevelReport report = LevelAnalyzer.report(spine.paint(), LabelScheme.SPIDER);

    LevelMeasurement l1 = report.level("L1").orElseThrow();
    assertThat(l1.found()).isTrue();
    assertThat(l1.middleMm()).isNull();
    assertThat(l1.flags()).anyMatch(f -> f.startsWith("CUT_BY_FIELD_OF_VIEW"));
    assertThat(report.level("L1/L2").orElseThrow().middleMm()).isNotNull();
  }

  @Test
  void csvHasOneRowPerLevelWithEmptyCellsForMissingValues() {
    SyntheticSpine spine = new SyntheticSpine();
    spine.missingDiscs = new int[] {3};

    String csv = LevelAnalyzer.report(spine.paint(), LabelScheme.SPIDER).toCsv();

    List<String> lines = csv.lines().toList();
    assertThat(lines).hasSize(11);
    assertThat(lines.get(0)).isEqualTo(LevelReport.CSV_HEADER);
    assertThat(lines.get(5)).startsWith("4,L3/L4,disc,false,,,,,,,\"MISSING_DISC");
  }

  @Test
  void numberingCheckAgreesWithTheLabelsThatPaintedTheSpine() {
    SyntheticSpine spine = new SyntheticSpine();
    spine.missingDiscs = new int[] {3};
    var labels = spine.paint();

    LevelAnalysis analysis = LevelAnalyzer.analyse(labels, LabelScheme.SPIDER, -1);
    NumberingCheck.Result result =
        NumberingCheck.compare(analysis, labels, NumberingCheck::spiderFromBottom);

    assertThat(result.compared()).isEqualTo(9);
    assertThat(result.agreed()).isEqualTo(9);
    // Shifted by one level (as if the lowest disc were L4/L5), every level disagrees.
    NumberingCheck.Result shifted =
        NumberingCheck.compare(
            analysis, labels, v -> NumberingCheck.spiderFromBottom(v < 100 ? v + 1 : v + 1));
    assertThat(shifted.agreed()).isZero();
    assertThat(shifted.mismatches()).contains("L5/S1≠L4/L5");
  }

  @Test
  void anEmptyVolumeGivesAnEmptyFlaggedReport() {
    SyntheticSpine spine = new SyntheticSpine();
    ImageGeometry g = spine.geometry();
    Image empty = new Image(g, ElementType.UCHAR, new byte[(int) g.voxelCount()]);

    LevelReport report = LevelAnalyzer.report(empty, LabelScheme.SPIDER);

    assertThat(report.levels()).isEmpty();
    assertThat(report.flags())
        .anyMatch(f -> f.startsWith("NO_CANAL"))
        .anyMatch(f -> f.startsWith("NO_DISC"))
        .anyMatch(f -> f.startsWith("LEVEL_COUNT_LOW: 0 discs"));
  }

  @Test
  void withoutACanalBodiesAreTheVertebraeNextToDiscsAndCanalsAreNotMeasured() {
    SyntheticSpine spine = new SyntheticSpine();
    Image labels = spine.paint();
    byte[] data = labels.data();
    for (int k = 0; k < data.length; k++) {
      data[k] = data[k] == 100 ? 0 : data[k];
    }

    LevelReport report =
        LevelAnalyzer.report(
            new Image(labels.geometry(), ElementType.UCHAR, data), LabelScheme.SPIDER);

    assertThat(names(report)).isEqualTo(FIVE_LEVELS);
    assertThat(report.flags()).anyMatch(f -> f.startsWith("NO_CANAL"));
    LevelMeasurement disc = report.level("L4/L5").orElseThrow();
    assertThat(disc.canalApMm()).isNull();
    assertThat(disc.flags()).anyMatch(f -> f.startsWith("NOT_MEASURED: canal diameter"));
    assertThat(disc.middleMm()).isCloseTo(11.6, within(1.0));
  }

  @Test
  void aSingleSagittalSliceIsAnalysedLikeTheVolumeItCameFrom() {
    SyntheticSpine volume = new SyntheticSpine();
    SyntheticSpine slice = new SyntheticSpine();
    // The same grid cut to its slice 10 (x = 2 mm): one voxel thick.
    slice.size = new int[] {1, 160, 280};
    slice.centre = new double[] {2, 0, 0};

    LevelReport whole = LevelAnalyzer.analyse(volume.paint(), LabelScheme.SPIDER, 10).report();
    LevelReport single = LevelAnalyzer.report(slice.paint(), LabelScheme.SPIDER);

    assertThat(single.sliceIndex()).isZero();
    assertThat(names(single)).isEqualTo(names(whole));
    assertThat(single.level("L3/L4").orElseThrow().middleMm())
        .isEqualTo(whole.level("L3/L4").orElseThrow().middleMm());
  }

  @Test
  void randomLabelNoiseNeverThrows() {
    SyntheticSpine spine = new SyntheticSpine();
    spine.size = new int[] {3, 60, 80};
    ImageGeometry g = spine.geometry();
    SplittableRandom random = new SplittableRandom(19);
    int[] values = {0, 0, 0, 1, 2, 100, 201, 202, 7};
    for (int trial = 0; trial < 20; trial++) {
      byte[] data = new byte[(int) g.voxelCount()];
      for (int k = 0; k < data.length; k++) {
        data[k] = (byte) values[random.nextInt(values.length)];
      }
      LevelReport report =
          LevelAnalyzer.report(new Image(g, ElementType.UCHAR, data), LabelScheme.SPIDER);
      assertThat(report.flags()).isNotEmpty();
    }
  }
}
