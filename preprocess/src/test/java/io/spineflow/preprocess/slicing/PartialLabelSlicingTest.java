package io.spineflow.preprocess.slicing;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.imaging.Image;
import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.labels.LabelCoverage;
import io.spineflow.imaging.labels.LabelledStructure;
import io.spineflow.imaging.labels.SliceLabelScope;
import io.spineflow.imaging.phantom.PhantomGenerator;
import io.spineflow.imaging.phantom.PhantomSpec;
import io.spineflow.imaging.phantom.PhantomStudy;
import java.util.function.DoublePredicate;
import org.junit.jupiter.api.Test;

/**
 * Partially labelled studies: the scope every slice carries (declared classes, the rows of the
 * study's labelled span on the output grid) and filters that judge only what the label labels.
 * Phantoms lose classes by zeroing their label values (1-199 vertebrae, 100 canal, 200+ discs).
 */
class PartialLabelSlicingTest {
  private static final int SIZE = 128;
  private static final PhantomStudy PHANTOM =
      new PhantomGenerator().generate(PhantomSpec.of(Sequence.T2, 7).withSizeScale(0.5));

  private static final SagittalSlicer FILTERED =
      new SagittalSlicer(
          SIZE,
          SIZE,
          new IntensityNormaliser(0.5, 99.5),
          new SliceFilter(true, true, 100),
          new SpineRegion(true, 15));

  private static final SagittalSlicer UNFILTERED =
      new SagittalSlicer(
          SIZE,
          SIZE,
          new IntensityNormaliser(0.5, 99.5),
          new SliceFilter(false, false, 1),
          new SpineRegion(false, 15));

  @Test
  void aDiscOnlyLabelKeepsItsSlicesWithTheDiscSpanAsScope() {
    Image discs = keeping(PHANTOM.mask(), v -> v >= 200);
    int[] span = rowsOf(UNFILTERED.slice(PHANTOM.image(), PHANTOM.mask()), LabelMerge.DISCS);
    SlicedStudy all = UNFILTERED.slice(PHANTOM.image(), discs);
    int slicesWithDiscs = 0;
    for (SagittalSlice s : all.slices()) {
      if (count(s.label(), LabelMerge.DISCS) > 0) {
        slicesWithDiscs++;
      }
    }

    SlicedStudy partial =
        FILTERED.slice(PHANTOM.image(), discs, LabelCoverage.parse("discs", "labelled-span"));
    SlicedStudy undeclared = FILTERED.slice(PHANTOM.image(), discs);

    assertThat(undeclared.slices())
        .as("taken as complete, a disc-only label lacks vertebrae and canal everywhere")
        .isEmpty();
    assertThat(partial.slices()).isNotEmpty();
    assertThat(partial.droppedByReason().getOrDefault(SliceFilter.MISSING_CLASS, 0))
        .as("only slices without a disc are missing a (declared) class")
        .isEqualTo(all.sourceSlices() - slicesWithDiscs);
    for (SagittalSlice s : partial.slices()) {
      SliceLabelScope scope = s.labelScope();
      assertThat(scope.classes()).containsExactly(LabelledStructure.DISCS);
      assertThat(scope.firstRow()).isEqualTo(span[0]);
      assertThat(scope.lastRow()).isEqualTo(span[1]);
      assertThat(count(s.label(), LabelMerge.DISCS)).isPositive();
    }
    assertThat(span[0]).as("the span is part of the image, not all of it").isPositive();
    assertThat(span[1]).isLessThan(SIZE - 1);
  }

  @Test
  void theMarginGrowsTheSpanByItsRowsAndWholeImageIsEveryRow() {
    Image discs = keeping(PHANTOM.mask(), v -> v >= 200);
    SlicedStudy bare =
        FILTERED.slice(PHANTOM.image(), discs, LabelCoverage.parse("discs", "labelled-span"));
    SlicedStudy grown =
        FILTERED.slice(PHANTOM.image(), discs, LabelCoverage.parse("discs", "labelled-span+10mm"));
    SlicedStudy whole =
        FILTERED.slice(PHANTOM.image(), discs, LabelCoverage.parse("discs", "whole-image"));

    SagittalSlice first = bare.slices().get(0);
    int rows = (int) Math.round(10 / first.pixelSpacing());
    SliceLabelScope b = first.labelScope();
    SliceLabelScope g = grown.slices().get(0).labelScope();
    assertThat(g.firstRow()).isEqualTo(Math.max(0, b.firstRow() - rows));
    assertThat(g.lastRow()).isEqualTo(Math.min(SIZE - 1, b.lastRow() + rows));
    assertThat(whole.slices().get(0).labelScope())
        .isEqualTo(new SliceLabelScope(LabelCoverage.parse("discs", null).classes(), 0, SIZE - 1));
  }

  @Test
  void vertebralBodiesCountAsTheVertebraClassAndACompleteLabelHasNoScope() {
    Image vertebrae = keeping(PHANTOM.mask(), v -> v >= 1 && v < 200 && v != 100);

    SlicedStudy bodies =
        FILTERED.slice(
            PHANTOM.image(), vertebrae, LabelCoverage.parse("vertebral-bodies", "whole-image"));
    SlicedStudy complete =
        FILTERED.slice(PHANTOM.image(), PHANTOM.mask(), LabelCoverage.parse("all", null));

    assertThat(bodies.slices()).isNotEmpty();
    assertThat(bodies.slices().get(0).labelScope().classes())
        .containsExactly(LabelledStructure.VERTEBRAL_BODIES);
    assertThat(complete.slices()).isNotEmpty().allSatisfy(s -> assertThat(s.labelScope()).isNull());
    assertThat(complete.slices().size())
        .isEqualTo(FILTERED.slice(PHANTOM.image(), PHANTOM.mask()).slices().size());
  }

  @Test
  void countsAreTakenInsideTheExtentOnly() {
    SliceGrid grid = SliceGrid.fit(4, 4, 1, 1, 4, 4);
    byte[] label = {
      1, 1, 1, 1, //
      0, 3, 3, 0, //
      0, 0, 0, 0, //
      2, 2, 2, 2
    };
    SliceFilter filter = new SliceFilter(true, false, 1);
    SliceLabelScope discs = new SliceLabelScope(java.util.Set.of(LabelledStructure.DISCS), 1, 2);

    assertThat(ClassCounts.of(label, grid, 1, 2)).isEqualTo(new ClassCounts(6, 0, 0, 2));
    assertThat(filter.dropReason(label, grid, discs)).isEmpty();
    assertThat(filter.dropReason(label, grid, new SliceLabelScope(discs.classes(), 2, 3)))
        .as("the discs lie outside this extent")
        .contains(SliceFilter.MISSING_CLASS);
    assertThat(filter.dropReason(label, grid, null)).as("complete: 4 classes").isEmpty();
  }

  /** The mask with every value {@code keep} refuses set to 0 (unlabelled). */
  static Image keeping(Image mask, DoublePredicate keep) {
    double[] values = mask.toDoubles();
    for (int i = 0; i < values.length; i++) {
      if (!keep.test(values[i])) {
        values[i] = 0;
      }
    }
    return Image.fromDoubles(mask.geometry(), mask.type(), values);
  }

  /** First and last output row holding {@code cls} over every slice of the study. */
  private static int[] rowsOf(SlicedStudy study, byte cls) {
    int first = Integer.MAX_VALUE;
    int last = -1;
    for (SagittalSlice s : study.slices()) {
      for (int i = 0; i < s.label().length; i++) {
        if (s.label()[i] == cls) {
          first = Math.min(first, i / s.width());
          last = Math.max(last, i / s.width());
        }
      }
    }
    return new int[] {first, last};
  }

  private static long count(byte[] label, byte cls) {
    long n = 0;
    for (byte b : label) {
      n += b == cls ? 1 : 0;
    }
    return n;
  }
}
