package io.spineflow.results;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.levels.LabelScheme;
import io.spineflow.imaging.levels.LevelAnalyzer;
import io.spineflow.imaging.levels.LevelReport;
import io.spineflow.imaging.phantom.PhantomGenerator;
import io.spineflow.imaging.phantom.PhantomSpec;
import io.spineflow.imaging.volume.LabelValues;
import org.junit.jupiter.api.Test;

/**
 * The per-level analysis of a results label volume: {@link LabelScheme#SPIDER} reads 65535 (not
 * segmented) as nothing, exactly as background, so slices preprocess did not emit change no level.
 */
class ResultsLevelsTest {

  @Test
  void notSegmentedSlicesReadAsNothing() {
    Image mask = new PhantomGenerator().generate(PhantomSpec.of(Sequence.T2, 3)).mask();
    ImageGeometry g = mask.geometry();
    int axis = sagittalAxis(g);
    double[] background = mask.toDoubles();
    double[] notSegmented = background.clone();
    int[] size = g.size();
    int cleared = 0;
    for (int index = 0; index < background.length; index++) {
      int i = index % size[0];
      int j = (index / size[0]) % size[1];
      int k = index / (size[0] * size[1]);
      int along = axis == 0 ? i : axis == 1 ? j : k;
      if (along < 2 || along >= size[axis] - 2) {
        cleared += background[index] != 0 ? 1 : 0;
        background[index] = 0;
        notSegmented[index] = LabelValues.NOT_SEGMENTED;
      }
    }
    LevelReport withBackground =
        LevelAnalyzer.report(
            Image.fromDoubles(g, LabelValues.TYPE, background), LabelScheme.SPIDER);
    LevelReport withSentinel =
        LevelAnalyzer.report(
            Image.fromDoubles(g, LabelValues.TYPE, notSegmented), LabelScheme.SPIDER);

    assertThat(cleared).as("the cleared slices held labels").isPositive();
    assertThat(withBackground.discsFound()).isGreaterThanOrEqualTo(4);
    assertThat(withSentinel).isEqualTo(withBackground);
    assertThat(String.join(" ", withSentinel.flags())).doesNotContain("65535");
  }

  private static int sagittalAxis(ImageGeometry g) {
    int best = 0;
    for (int a = 1; a < 3; a++) {
      if (Math.abs(g.direction(0, a)) > Math.abs(g.direction(0, best))) {
        best = a;
      }
    }
    return best;
  }
}
