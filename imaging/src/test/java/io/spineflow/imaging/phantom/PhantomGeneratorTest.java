package io.spineflow.imaging.phantom;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.imaging.ElementType;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import io.spineflow.imaging.Sequence;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PhantomGeneratorTest {
  private static final double SMALL = 0.5;
  private final PhantomGenerator generator = new PhantomGenerator();

  private PhantomStudy small(Sequence sequence, long seed) {
    return generator.generate(PhantomSpec.of(sequence, seed).withSizeScale(SMALL));
  }

  @Test
  void sameSpecGivesByteIdenticalStudies() {
    PhantomSpec spec = PhantomSpec.of(Sequence.T2, 42).withSizeScale(SMALL);
    PhantomStudy first = generator.generate(spec);
    PhantomStudy second = generator.generate(spec);

    assertThat(second.image().geometry()).isEqualTo(first.image().geometry());
    assertThat(second.image().data()).isEqualTo(first.image().data());
    assertThat(second.mask().data()).isEqualTo(first.mask().data());
    assertThat(second.truth()).isEqualTo(first.truth());
  }

  @Test
  void differentSeedsGiveDifferentStudies() {
    PhantomStudy a = small(Sequence.T1, 1);
    PhantomStudy b = small(Sequence.T1, 2);

    assertThat(b.image().geometry()).isNotEqualTo(a.image().geometry());
    assertThat(b.image().data()).isNotEqualTo(a.image().data());
    assertThat(b.studyId()).isNotEqualTo(a.studyId());
  }

  @Test
  void theSeedIsThePatientAcrossSequences() {
    PhantomStudy t1 = small(Sequence.T1, 9);
    PhantomStudy t2 = small(Sequence.T2, 9);

    // Same anatomy and layout, different acquisition.
    assertThat(t2.truth().layout()).isEqualTo(t1.truth().layout());
    assertThat(t2.truth().lordosisRadiusMm()).isEqualTo(t1.truth().lordosisRadiusMm());
    assertThat(t2.image().geometry()).isNotEqualTo(t1.image().geometry());
  }

  @Test
  void imagesAreUnsignedShortMrIntensitiesAndMasksAreLabels() {
    PhantomStudy study = small(Sequence.T1, 3);
    assertThat(study.image().type()).isEqualTo(ElementType.USHORT);
    assertThat(study.mask().type()).isIn(ElementType.UCHAR, ElementType.USHORT);
    assertThat(study.mask().geometry()).isEqualTo(study.image().geometry());

    double[] values = study.image().toDoubles().clone();
    java.util.Arrays.sort(values);
    double p99 = values[(int) (0.99 * (values.length - 1))];
    double p01 = values[(int) (0.01 * (values.length - 1))];
    assertThat(p99).isBetween(600.0, 3000.0);
    // The air behind the patient is dark, but Rician noise keeps it above zero.
    assertThat(p01).isLessThan(120.0);
    assertThat(values[values.length / 2]).isGreaterThan(0.0);
  }

  @ParameterizedTest
  @EnumSource(Sequence.class)
  void labelsUseExactlySpiderValues(Sequence sequence) {
    for (long seed = 1; seed <= 6; seed++) {
      PhantomStudy study = small(sequence, seed);
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
      assertThat(vertebrae).isEqualTo(truth.vertebraLabels());
      assertThat(discs).isEqualTo(truth.discLabels());
      assertThat(labels).contains(0, 100);
      assertThat(truth.vertebraCount()).isBetween(5, 7).isEqualTo(vertebrae.size());
      // Vertebrae 1..k exactly once each, whole or partly visible; k discs, 201..200+k.
      List<Integer> numbers = vertebrae.stream().map(l -> l % 100).sorted().toList();
      assertThat(numbers).isEqualTo(range(1, vertebrae.size()));
      assertThat(discs).isEqualTo(range(201, vertebrae.size()));
      // The field of view cuts the top vertebra, never the lowest (the sacrum is below it).
      assertThat(truth.partlyVisibleLabels()).isNotEmpty().allMatch(l -> l > 100 && l < 126);
      assertThat(truth.partlyVisibleLabels()).contains(100 + vertebrae.size());
      assertThat(vertebrae).contains(1);
    }
  }

  @Test
  void discsLieBetweenTheirVertebraeAlongTheSpine() {
    for (long seed = 1; seed <= 8; seed++) {
      PhantomStudy study = small(seed % 2 == 0 ? Sequence.T1 : Sequence.T2_SPACE, seed);
      Map<Integer, double[]> centroids = physicalCentroids(study.mask());
      Map<Integer, Double> height = new HashMap<>();
      centroids.forEach((label, c) -> height.put(label, c[2])); // physical z is superior
      int count = study.truth().vertebraCount();
      for (int i = 1; i <= count; i++) {
        double vertebra = height.get(vertebraLabel(study, i));
        double disc = height.get(200 + i);
        // SPIDER: disc 200+i lies directly below vertebra i (201 is L5/S1, above the sacrum).
        assertThat(disc)
            .as("disc %d below vertebra %d, seed %d", 200 + i, i, seed)
            .isLessThan(vertebra);
        if (i > 1) {
          double below = height.get(vertebraLabel(study, i - 1));
          assertThat(disc)
              .as("disc %d above vertebra %d, seed %d", 200 + i, i - 1, seed)
              .isGreaterThan(below);
          assertThat(vertebra).isGreaterThan(below);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Sequence.class)
  void sagittalAxisIsTheLeftRightAxisOfTheDirectionMatrix(Sequence sequence) {
    for (long seed = 1; seed <= 6; seed++) {
      PhantomStudy study = small(sequence, seed);
      ImageGeometry g = study.image().geometry();
      int sagittal = study.truth().sagittalAxis();

      assertThat(dominantPhysicalAxis(g, sagittal)).isEqualTo(0);
      assertThat(dominantPhysicalAxis(g, study.truth().anteroPosteriorAxis())).isEqualTo(1);
      assertThat(dominantPhysicalAxis(g, study.truth().craniocaudalAxis())).isEqualTo(2);
      double[] spacing = g.spacing();
      for (int a = 0; a < 3; a++) {
        if (a != sagittal) {
          assertThat(spacing[sagittal]).isGreaterThan(spacing[a]);
        }
      }
      if (sequence != Sequence.T2_SPACE) {
        assertThat(spacing[sagittal]).isBetween(3.3, 4.8);
        assertThat(g.size()[sagittal]).isBetween(13, 17);
      } else {
        // Half size: twice the SPIDER-like 0.95-1.2 mm, half the 37-55 slices.
        assertThat(spacing[sagittal]).isBetween(1.9, 2.4);
        assertThat(g.size()[sagittal]).isBetween(18, 28);
      }
      assertOrthonormalAndTilted(g);
    }
  }

  @Test
  void theSagittalAxisAndFlipsVaryWithTheSeed() {
    var sagittalAxes = new HashSet<Integer>();
    var codes = new HashSet<String>();
    for (long seed = 1; seed <= 16; seed++) {
      PhantomStudy study = small(Sequence.T2, seed);
      sagittalAxes.add(study.truth().sagittalAxis());
      codes.add(study.truth().layout().code());
    }
    assertThat(sagittalAxes).hasSizeGreaterThan(1);
    assertThat(codes).hasSizeGreaterThan(4);
  }

  @Test
  void theSameAnatomyInTwoLayoutsHasTheSameVoxelsAtTheSamePhysicalPoints() {
    PhantomSpec spec = PhantomSpec.of(Sequence.T1, 11).withSizeScale(SMALL);
    PhantomStudy plain = generator.generate(spec.withLayout(VoxelGridLayout.IDENTITY));
    PhantomStudy turned = generator.generate(spec.withLayout(VoxelGridLayout.of("IRA")));
    ImageGeometry a = plain.mask().geometry();
    ImageGeometry b = turned.mask().geometry();

    assertThat(turned.truth().sagittalAxis()).isEqualTo(1);
    assertThat(plain.truth().sagittalAxis()).isEqualTo(0);
    assertThat(b.size()).isNotEqualTo(a.size());
    assertThat(b.direction()).isNotEqualTo(a.direction());

    SplittableRandom random = new SplittableRandom(5);
    int[] size = a.size();
    Map<Integer, Integer> checkedPerLabel = new HashMap<>();
    for (int n = 0; n < 4000; n++) {
      int[] ia = {random.nextInt(size[0]), random.nextInt(size[1]), random.nextInt(size[2])};
      double[] point = physical(a, ia);
      int[] ib = voxelOf(b, point);
      long la = linear(a, ia);
      long lb = linear(b, ib);
      int label = (int) plain.mask().voxel(la);
      assertThat(turned.mask().voxel(lb))
          .as("label at %s", java.util.Arrays.toString(point))
          .isEqualTo(label);
      assertThat(turned.image().voxel(lb)).isEqualTo(plain.image().voxel(la));
      checkedPerLabel.merge(
          label == 0 ? 0 : label == 100 ? 2 : label > 200 ? 3 : 1, 1, Integer::sum);
    }
    assertThat(checkedPerLabel.keySet()).contains(0, 1, 3);
    assertThat(plain.truth().vertebraLabels()).isEqualTo(turned.truth().vertebraLabels());
  }

  @Test
  void discsAreDarkerThanVertebraeOnT1AndBrighterOnT2() {
    for (long seed = 1; seed <= 4; seed++) {
      PhantomStudy t1 = small(Sequence.T1, seed);
      PhantomStudy t2 = small(Sequence.T2, seed);
      PhantomStudy space = small(Sequence.T2_SPACE, seed);
      assertThat(discToVertebraRatio(t1)).as("T1 disc/vertebra, seed %d", seed).isLessThan(0.8);
      assertThat(discToVertebraRatio(t2)).as("T2 disc/vertebra, seed %d", seed).isGreaterThan(1.05);
      assertThat(discToVertebraRatio(space))
          .as("T2 SPACE disc/vertebra, seed %d", seed)
          .isGreaterThan(1.05);
      // CSF: dark on T1, bright on T2.
      assertThat(canalToVertebraRatio(t2)).isGreaterThan(2 * canalToVertebraRatio(t1));
      assertThat(canalToVertebraRatio(space)).isGreaterThan(2 * canalToVertebraRatio(t1));
    }
  }

  @ParameterizedTest
  @EnumSource(Sequence.class)
  void theShiftKeepsTheAnatomyButChangesTheIntensityStatistics(Sequence sequence) {
    PhantomSpec spec = PhantomSpec.of(sequence, 21).withSizeScale(SMALL);
    PhantomStudy normal = generator.generate(spec);
    PhantomStudy shifted = generator.generate(spec.withShift(true));

    assertThat(shifted.mask().data()).isEqualTo(normal.mask().data());
    assertThat(shifted.studyId()).isEqualTo("phantom-21-shift-" + sequence.suffix());

    // Histogram: the mean intensity drops by more than a fifth.
    assertThat(mean(shifted.image())).isLessThan(0.8 * mean(normal.image()));
    // Noise: neighbouring voxels in the air differ far more.
    assertThat(airNoise(shifted)).isGreaterThan(1.8 * airNoise(normal));
    // Contrast: discs move towards (T1) or below (T2) the vertebrae.
    double before = discToVertebraRatio(normal);
    double after = discToVertebraRatio(shifted);
    if (sequence == Sequence.T1) {
      assertThat(after).isGreaterThan(before + 0.15);
    } else {
      assertThat(after).isLessThan(before - 0.15).isLessThan(1.0);
    }
  }

  @ParameterizedTest
  @EnumSource(Sequence.class)
  void severalSagittalSlicesNearTheMidlineHoldAllFourClasses(Sequence sequence) {
    for (long seed = 1; seed <= 4; seed++) {
      PhantomStudy study = small(sequence, seed);
      int axis = study.truth().sagittalAxis();
      int count = study.mask().geometry().size()[axis];
      List<Integer> complete = slicesWithAllClasses(study.mask(), axis);

      assertThat(complete.size())
          .as("seed %d", seed)
          .isGreaterThanOrEqualTo(sequence == Sequence.T2_SPACE ? 6 : 3);
      assertThat(complete).contains(study.truth().midSagittalSlice());
      // The outermost slices miss the canal.
      assertThat(complete).doesNotContain(0, count - 1);
    }
  }

  @Test
  void sizeScaleCoarsensTheInPlaneGridOnly() {
    PhantomStudy full = generator.generate(PhantomSpec.of(Sequence.T2, 5));
    PhantomStudy half = small(Sequence.T2, 5);
    int sagittal = full.truth().sagittalAxis();
    int[] fullSize = full.image().geometry().size();
    int[] halfSize = half.image().geometry().size();

    assertThat(halfSize[sagittal]).isEqualTo(fullSize[sagittal]);
    for (int a = 0; a < 3; a++) {
      if (a != sagittal) {
        assertThat(fullSize[a]).isBetween(150, 288);
        assertThat((double) halfSize[a])
            .isCloseTo(fullSize[a] / 2.0, org.assertj.core.data.Offset.offset(1.5));
      }
    }
    assertThat(half.truth().vertebraLabels()).isEqualTo(full.truth().vertebraLabels());
  }

  @Test
  void namesFollowSpiderConventions() {
    PhantomSpec spec = PhantomSpec.of(Sequence.T2_SPACE, 7);
    assertThat(spec.studyId()).isEqualTo("phantom-7-t2_SPACE");
    assertThat(spec.fileStem()).isEqualTo("phantom-7_t2_SPACE");
    assertThat(spec.withShift(true).fileStem()).isEqualTo("phantom-7-shift_t2_SPACE");
  }

  // ---- helpers ---------------------------------------------------------------------------

  private static List<Integer> range(int first, int count) {
    return java.util.stream.IntStream.range(first, first + count).boxed().toList();
  }

  private static TreeSet<Integer> labelSet(Image mask) {
    TreeSet<Integer> labels = new TreeSet<>();
    for (double v : mask.toDoubles()) {
      labels.add((int) v);
    }
    return labels;
  }

  private static int vertebraLabel(PhantomStudy study, int number) {
    return study.truth().vertebraLabels().contains(number) ? number : 100 + number;
  }

  /** The physical LPS point of voxel index {@code i}. */
  private static double[] physical(ImageGeometry g, int[] i) {
    double[] origin = g.origin();
    double[] spacing = g.spacing();
    double[] p = origin.clone();
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        p[r] += g.direction(r, c) * spacing[c] * i[c];
      }
    }
    return p;
  }

  /** The nearest voxel index of physical point {@code p} (the direction matrix is orthonormal). */
  private static int[] voxelOf(ImageGeometry g, double[] p) {
    double[] origin = g.origin();
    double[] spacing = g.spacing();
    int[] index = new int[3];
    for (int c = 0; c < 3; c++) {
      double dot = 0;
      for (int r = 0; r < 3; r++) {
        dot += g.direction(r, c) * (p[r] - origin[r]);
      }
      index[c] = (int) Math.round(dot / spacing[c]);
    }
    return index;
  }

  private static long linear(ImageGeometry g, int[] i) {
    int[] s = g.size();
    return i[0] + (long) s[0] * (i[1] + (long) s[1] * i[2]);
  }

  private static Map<Integer, double[]> physicalCentroids(Image mask) {
    ImageGeometry g = mask.geometry();
    int[] s = g.size();
    double[] labels = mask.toDoubles();
    Map<Integer, double[]> sums = new HashMap<>();
    int[] index = new int[3];
    for (int z = 0; z < s[2]; z++) {
      for (int y = 0; y < s[1]; y++) {
        for (int x = 0; x < s[0]; x++) {
          int label = (int) labels[x + s[0] * (y + s[1] * z)];
          if (label == 0) {
            continue;
          }
          index[0] = x;
          index[1] = y;
          index[2] = z;
          double[] p = physical(g, index);
          double[] sum = sums.computeIfAbsent(label, l -> new double[4]);
          sum[0] += p[0];
          sum[1] += p[1];
          sum[2] += p[2];
          sum[3]++;
        }
      }
    }
    Map<Integer, double[]> centroids = new HashMap<>();
    sums.forEach(
        (l, sum) ->
            centroids.put(l, new double[] {sum[0] / sum[3], sum[1] / sum[3], sum[2] / sum[3]}));
    return centroids;
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

  private static void assertOrthonormalAndTilted(ImageGeometry g) {
    boolean permutationOnly = true;
    for (int a = 0; a < 3; a++) {
      for (int b = 0; b < 3; b++) {
        double dot = 0;
        for (int r = 0; r < 3; r++) {
          dot += g.direction(r, a) * g.direction(r, b);
        }
        assertThat(dot).isCloseTo(a == b ? 1.0 : 0.0, org.assertj.core.data.Offset.offset(1e-9));
        double component = Math.abs(g.direction(a, b));
        permutationOnly &= component < 1e-9 || Math.abs(component - 1) < 1e-9;
      }
    }
    // A few degrees of rotation on top of the axis permutation.
    assertThat(permutationOnly).isFalse();
  }

  private static double discToVertebraRatio(PhantomStudy study) {
    return meanWhere(study, label -> label > 200)
        / meanWhere(study, PhantomGeneratorTest::vertebra);
  }

  private static double canalToVertebraRatio(PhantomStudy study) {
    return meanWhere(study, label -> label == 100)
        / meanWhere(study, PhantomGeneratorTest::vertebra);
  }

  private static boolean vertebra(int label) {
    return label > 0 && label < 200 && label != 100;
  }

  private static double meanWhere(PhantomStudy study, java.util.function.IntPredicate labels) {
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

  private static double mean(Image image) {
    return java.util.Arrays.stream(image.toDoubles()).average().orElseThrow();
  }

  /**
   * The 0.5th intensity percentile: voxels in the air around the patient, whose Rayleigh noise
   * scales with the noise level (the bias field multiplies only the signal, not the noise).
   */
  private static double airNoise(PhantomStudy study) {
    double[] values = study.image().toDoubles();
    java.util.Arrays.sort(values);
    return values[(int) (0.005 * (values.length - 1))];
  }

  /** Slices across {@code axis} holding background, vertebra, canal and disc (merged classes). */
  private static List<Integer> slicesWithAllClasses(Image mask, int axis) {
    int[] s = mask.geometry().size();
    double[] labels = mask.toDoubles();
    int[] classesPerSlice = new int[s[axis]];
    int[] index = new int[3];
    for (index[2] = 0; index[2] < s[2]; index[2]++) {
      for (index[1] = 0; index[1] < s[1]; index[1]++) {
        for (index[0] = 0; index[0] < s[0]; index[0]++) {
          int label = (int) labels[index[0] + s[0] * (index[1] + s[1] * index[2])];
          classesPerSlice[index[axis]] |= 1 << mergedClass(label);
        }
      }
    }
    List<Integer> complete = new java.util.ArrayList<>();
    for (int i = 0; i < classesPerSlice.length; i++) {
      if (classesPerSlice[i] == 0b1111) {
        complete.add(i);
      }
    }
    return complete;
  }

  /** SPIDER label to the 4 classes, only for this test (the pipeline owns the real merge). */
  private static int mergedClass(int label) {
    if (label == 0) {
      return 0;
    }
    if (label == 100) {
      return 2;
    }
    return label >= 200 ? 3 : 1;
  }
}
