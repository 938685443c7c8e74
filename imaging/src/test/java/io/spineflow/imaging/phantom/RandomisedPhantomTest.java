package io.spineflow.imaging.phantom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import io.spineflow.imaging.Sequence;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The randomised mode: deterministic by seed, SPIDER label values and geometry as in the default
 * mode, but contrast, resolution and anatomy that vary far more from study to study.
 */
class RandomisedPhantomTest {
  private static final double SMALL = 0.5;
  private static final int SEEDS = 12;
  private static final PhantomGenerator GENERATOR = new PhantomGenerator();
  private static final Map<Long, PhantomStudy> CACHE = new ConcurrentHashMap<>();

  /** Randomised study {@code seed} at half size, the sequences in turn; each generated once. */
  private static PhantomStudy study(long seed) {
    return CACHE.computeIfAbsent(
        seed,
        s ->
            GENERATOR.generate(
                PhantomSpec.of(Sequence.values()[(int) (s % 3)], s)
                    .withRandomised(true)
                    .withSizeScale(SMALL)));
  }

  @Test
  void theSameSpecGivesByteIdenticalStudiesAndNamesSayRandom() {
    PhantomSpec spec = PhantomSpec.of(Sequence.T2, 5).withRandomised(true).withSizeScale(SMALL);
    PhantomStudy first = GENERATOR.generate(spec);
    PhantomStudy second = GENERATOR.generate(spec);

    assertThat(second.image().geometry()).isEqualTo(first.image().geometry());
    assertThat(second.image().data()).isEqualTo(first.image().data());
    assertThat(second.mask().data()).isEqualTo(first.mask().data());
    assertThat(second.truth()).isEqualTo(first.truth());
    assertThat(first.studyId()).isEqualTo("phantom-5-random-t2");
    // Not the default study of the same seed.
    PhantomStudy plain = GENERATOR.generate(spec.withRandomised(false));
    assertThat(plain.image().geometry()).isNotEqualTo(first.image().geometry());
  }

  @Test
  void randomisedAndShiftedCannotBeCombined() {
    assertThatThrownBy(() -> PhantomSpec.of(Sequence.T1, 1).withShift(true).withRandomised(true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shift and randomised");
  }

  @Test
  void labelsUseExactlySpiderValuesWithTheVertebraeNumberedFromTheBottom() {
    Set<Integer> counts = new TreeSet<>();
    for (long seed = 1; seed <= SEEDS; seed++) {
      PhantomStudy study = study(seed);
      TreeSet<Integer> labels = labelSet(study.mask());
      for (int label : labels) {
        assertThat(
                label == 0
                    || (label >= 1 && label <= 25)
                    || label == 100
                    || (label >= 101 && label <= 125)
                    || (label >= 201 && label <= 225))
            .as("label %d of seed %d", label, seed)
            .isTrue();
      }
      PhantomTruth truth = study.truth();
      List<Integer> vertebrae =
          labels.stream().filter(l -> l >= 1 && l <= 125 && l != 100).toList();
      List<Integer> discs = labels.stream().filter(l -> l >= 201).toList();
      assertThat(vertebrae).as("seed %d", seed).isEqualTo(truth.vertebraLabels());
      assertThat(discs).isEqualTo(truth.discLabels());
      assertThat(labels).contains(0, 100);
      List<Integer> numbers = vertebrae.stream().map(l -> l % 100).sorted().toList();
      assertThat(numbers).as("seed %d", seed).isEqualTo(range(1, vertebrae.size()));
      // A disc below each vertebra; with a steep or moving top, the posterior elements of the
      // vertebra above the intended top may reach into view while its disc does not.
      assertThat(discs)
          .as("seed %d", seed)
          .isIn(range(201, vertebrae.size()), range(201, vertebrae.size() - 1));
      assertThat(vertebrae).as("the lowest vertebra is whole, seed %d", seed).contains(1);
      assertThat(truth.partlyVisibleLabels()).contains(100 + vertebrae.size());
      counts.add(vertebrae.size());
    }
    // Fields of view from the lumbar spine alone up to the lower thoracic spine.
    assertThat(counts.stream().mapToInt(Integer::intValue).min().orElseThrow()).isLessThan(7);
    assertThat(counts.stream().mapToInt(Integer::intValue).max().orElseThrow())
        .isGreaterThanOrEqualTo(8)
        .isLessThanOrEqualTo(11);
  }

  @Test
  void theIntensityOrderOfTissuesChangesFromSeedToSeed() {
    int discBrighter = 0;
    int discDarker = 0;
    int canalBrighter = 0;
    int canalDarker = 0;
    for (long seed = 1; seed <= SEEDS; seed++) {
      PhantomStudy study = study(seed);
      double vertebra = meanWhere(study, l -> l > 0 && l < 200 && l != 100);
      double disc = meanWhere(study, l -> l > 200);
      double canal = meanWhere(study, l -> l == 100);
      if (disc > 1.1 * vertebra) {
        discBrighter++;
      } else if (disc < vertebra / 1.1) {
        discDarker++;
      }
      if (canal > 1.1 * vertebra) {
        canalBrighter++;
      } else if (canal < vertebra / 1.1) {
        canalDarker++;
      }
    }
    assertThat(discBrighter).as("discs clearly brighter than vertebrae").isGreaterThan(0);
    assertThat(discDarker).as("discs clearly darker than vertebrae").isGreaterThan(0);
    assertThat(canalBrighter).as("canal clearly brighter than vertebrae").isGreaterThan(0);
    assertThat(canalDarker).as("canal clearly darker than vertebrae").isGreaterThan(0);
  }

  @Test
  void geometryIsTiltedOrthonormalWithTheSagittalAxisAlongLeftRight() {
    Set<Long> thicknesses = new HashSet<>();
    Set<Integer> sagittalAxes = new HashSet<>();
    for (long seed = 1; seed <= SEEDS; seed++) {
      PhantomStudy study = study(seed);
      ImageGeometry g = study.image().geometry();
      PhantomTruth truth = study.truth();
      assertThat(dominantPhysicalAxis(g, truth.sagittalAxis())).isEqualTo(0);
      assertThat(dominantPhysicalAxis(g, truth.anteroPosteriorAxis())).isEqualTo(1);
      assertThat(dominantPhysicalAxis(g, truth.craniocaudalAxis())).isEqualTo(2);
      assertThat(truth.rotationDegrees()).isGreaterThan(1.0).isLessThan(12.0);
      double thickness = g.spacing()[truth.sagittalAxis()];
      double inPlane = g.spacing()[truth.anteroPosteriorAxis()];
      assertThat(g.spacing()[truth.craniocaudalAxis()]).isEqualTo(inPlane);
      assertThat(thickness).isGreaterThanOrEqualTo(inPlane).isLessThanOrEqualTo(6.5);
      assertThat(g.size()[truth.sagittalAxis()]).isGreaterThanOrEqualTo(5);
      thicknesses.add(Math.round(thickness));
      sagittalAxes.add(truth.sagittalAxis());
      for (int a = 0; a < 3; a++) {
        for (int b = 0; b < 3; b++) {
          double dot = 0;
          for (int r = 0; r < 3; r++) {
            dot += g.direction(r, a) * g.direction(r, b);
          }
          assertThat(dot).isCloseTo(a == b ? 1.0 : 0.0, org.assertj.core.data.Offset.offset(1e-9));
        }
      }
      // The mid-sagittal slice shows the canal.
      assertThat(midSliceLabels(study)).contains(100);
    }
    assertThat(thicknesses).as("slice thickness varies").hasSizeGreaterThan(2);
    assertThat(sagittalAxes).as("array layout varies").hasSizeGreaterThan(1);
  }

  @Test
  void theAnatomyVariesMoreThanInTheDefaultMode() {
    List<Double> randomisedRadii = new ArrayList<>();
    List<Double> defaultRadii = new ArrayList<>();
    for (long seed = 1; seed <= SEEDS; seed++) {
      randomisedRadii.add(study(seed).truth().lordosisRadiusMm());
      defaultRadii.add(SpineAnatomy.random(new java.util.SplittableRandom(seed)).lordosisRadius());
    }
    assertThat(spread(randomisedRadii)).isGreaterThan(2 * spread(defaultRadii));
  }

  // ---- helpers ---------------------------------------------------------------------------

  private static double spread(List<Double> values) {
    double min = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    return max / min;
  }

  private static List<Integer> range(int first, int count) {
    return IntStream.range(first, first + count).boxed().toList();
  }

  private static TreeSet<Integer> labelSet(Image mask) {
    TreeSet<Integer> labels = new TreeSet<>();
    for (double v : mask.toDoubles()) {
      labels.add((int) v);
    }
    return labels;
  }

  private static Set<Integer> midSliceLabels(PhantomStudy study) {
    ImageGeometry g = study.mask().geometry();
    int axis = study.truth().sagittalAxis();
    int mid = study.truth().midSagittalSlice();
    int[] s = g.size();
    double[] labels = study.mask().toDoubles();
    Set<Integer> found = new HashSet<>();
    int[] index = new int[3];
    for (index[2] = 0; index[2] < s[2]; index[2]++) {
      for (index[1] = 0; index[1] < s[1]; index[1]++) {
        for (index[0] = 0; index[0] < s[0]; index[0]++) {
          if (index[axis] == mid) {
            found.add((int) labels[index[0] + s[0] * (index[1] + s[1] * index[2])]);
          }
        }
      }
    }
    return found;
  }

  private static double meanWhere(PhantomStudy study, IntPredicate labels) {
    double[] image = study.image().toDoubles();
    double[] mask = study.mask().toDoubles();
    double sum = 0;
    int n = 0;
    for (int i = 0; i < image.length; i++) {
      if (labels.test((int) mask[i])) {
        sum += image[i];
        n++;
      }
    }
    return sum / n;
  }

  private static int dominantPhysicalAxis(ImageGeometry g, int arrayAxis) {
    int best = 0;
    for (int r = 1; r < 3; r++) {
      if (Math.abs(g.direction(r, arrayAxis)) > Math.abs(g.direction(best, arrayAxis))) {
        best = r;
      }
    }
    return best;
  }
}
