package io.spineflow.model.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.imaging.labels.LabelledStructure;
import io.spineflow.imaging.labels.SliceLabelScope;
import io.spineflow.model.LabelledSlice;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SliceAugmentationsTest {
  private static final int W = 48;
  private static final int H = 40;

  /**
   * A bright "vertebra" (label 1) in the left (anterior) half, a grey "disc" (label 3) beside it, a
   * dim background gradient.
   */
  private static LabelledSlice slice(SliceLabelScope scope) {
    float[] pixels = new float[W * H];
    byte[] labels = new byte[W * H];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int i = y * W + x;
        pixels[i] = 0.1f + 0.2f * x / W;
        if (x >= 10 && x < 20 && y >= 8 && y < 32) {
          pixels[i] = 0.95f;
          labels[i] = 1;
        } else if (x >= 20 && x < 24 && y >= 14 && y < 26) {
          pixels[i] = 0.6f;
          labels[i] = 3;
        }
      }
    }
    return new LabelledSlice(pixels, labels, W, H, scope);
  }

  private static List<SliceAugmentation> geometric(double strength) {
    return List.of(
        AugmentationFamily.CROP.at(strength),
        AugmentationFamily.SCALING.at(strength),
        AugmentationFamily.ROTATION.at(strength),
        AugmentationFamily.ELASTIC.at(strength));
  }

  private static List<SliceAugmentation> intensity(double strength) {
    return List.of(
        AugmentationFamily.BIAS_FIELD.at(strength),
        AugmentationFamily.GAMMA.at(strength),
        AugmentationFamily.CONTRAST.at(strength),
        AugmentationFamily.BLUR.at(strength),
        AugmentationFamily.LOW_RESOLUTION.at(strength),
        AugmentationFamily.NOISE.at(strength));
  }

  private static SliceAugmentations always(double strength) {
    SliceAugmentations.Builder b = SliceAugmentations.builder().optStrength(strength);
    for (AugmentationFamily f : AugmentationFamily.values()) {
      b.optProbability(f, 1);
    }
    return b.build();
  }

  @Test
  void theSameSeedGivesTheSameSliceAndAnotherSeedAnother() {
    LabelledSlice in = slice(SliceLabelScope.COMPLETE);
    SliceAugmentations chain = always(1);

    LabelledSlice a = chain.augment(in, new Random(7));
    LabelledSlice b = chain.augment(in, new Random(7));
    LabelledSlice c = chain.augment(in, new Random(8));

    assertThat(a).isEqualTo(b);
    assertThat(a).isNotEqualTo(c);
    assertThat(a).isNotEqualTo(in);
  }

  @Test
  void neverModifiesTheInputArrays() {
    LabelledSlice in = slice(SliceLabelScope.COMPLETE);
    float[] pixels = in.pixels().clone();
    byte[] labels = in.labels().clone();

    always(2).augment(in, new Random(1));

    assertThat(in.pixels()).containsExactly(pixels);
    assertThat(in.labels()).containsExactly(labels);
  }

  @Test
  void geometryKeepsLabelsInTheClassesOrUnknown() {
    LabelledSlice in = slice(SliceLabelScope.COMPLETE);
    for (SliceAugmentation a : geometric(2)) {
      for (long seed = 0; seed < 20; seed++) {
        LabelledSlice out = a.augment(in, new Random(seed));
        for (byte label : out.labels()) {
          assertThat(label >= 0 && label <= 3 || label == SliceLabelScope.UNKNOWN)
              .as("%s label %d", a, label)
              .isTrue();
        }
        for (float p : out.pixels()) {
          assertThat(p).as("%s", a).isBetween(0f, 1f);
        }
      }
    }
  }

  @Test
  void anteriorStaysLeftUnderEveryFamilyAndTheChain() {
    LabelledSlice in = slice(SliceLabelScope.COMPLETE);
    List<SliceAugmentation> all = new java.util.ArrayList<>(geometric(1.5));
    all.add(always(1.5));
    for (SliceAugmentation a : all) {
      for (long seed = 0; seed < 30; seed++) {
        LabelledSlice out = a.augment(in, new Random(seed));
        assertThat(meanColumn(out, (byte) 1)).as("%s seed %d", a, seed).isLessThan(W / 2.0);
        // The disc sits posterior (right) of the vertebra, as before.
        assertThat(meanColumn(out, (byte) 3))
            .as("%s seed %d", a, seed)
            .isGreaterThan(meanColumn(out, (byte) 1));
      }
    }
  }

  private static double meanColumn(LabelledSlice s, byte label) {
    double sum = 0;
    int n = 0;
    for (int i = 0; i < s.labels().length; i++) {
      if (s.labels()[i] == label) {
        sum += i % s.width();
        n++;
      }
    }
    assertThat(n).as("pixels labelled %d", label).isPositive();
    return sum / n;
  }

  @Test
  void intensityKeepsTheLabelAndPixelsInZeroToOne() {
    SliceLabelScope partial = new SliceLabelScope(EnumSet.of(LabelledStructure.DISCS), 10, 30);
    LabelledSlice in = slice(partial);
    in.pixels()[0] = 0f;
    in.pixels()[1] = 1f;
    for (SliceAugmentation a : intensity(3)) {
      for (long seed = 0; seed < 10; seed++) {
        LabelledSlice out = a.augment(in, new Random(seed));
        assertThat(out.labels()).as("%s", a).containsExactly(in.labels());
        assertThat(out.scope()).isEqualTo(partial);
        for (float p : out.pixels()) {
          assertThat(p).as("%s", a).isBetween(0f, 1f);
        }
      }
      assertThat(a.augment(in, new Random(3)).pixels())
          .as("%s changes pixels", a)
          .isNotEqualTo(in.pixels());
    }
  }

  @Test
  void geometryMovesTheExtentIntoTheLabelAsUnknown() {
    SliceLabelScope partial = new SliceLabelScope(EnumSet.of(LabelledStructure.DISCS), 10, 30);
    LabelledSlice in = slice(partial);

    LabelledSlice out = new RotationAugmentation(0).augment(in, new Random(1));

    assertThat(out.scope()).isEqualTo(partial.withoutRowLimits());
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        byte expected = partial.inExtent(y) ? in.labels()[y * W + x] : SliceLabelScope.UNKNOWN;
        assertThat(out.labels()[y * W + x]).as("(%d, %d)", x, y).isEqualTo(expected);
      }
    }
    assertThat(out.pixels()).containsExactly(in.pixels());
  }

  @Test
  void zoomingOutPadsWithUnknownAndBlack() {
    LabelledSlice in = slice(SliceLabelScope.COMPLETE);
    LabelledSlice out = null;
    for (long seed = 0; out == null; seed++) {
      Random probe = new Random(seed);
      if (probe.nextDouble() < 0.2) { // a factor below 1/1.3: zoomed out by more than a pixel
        out = new ScalingAugmentation(0.5).augment(in, new Random(seed));
      }
    }

    assertThat(out.labels()[0]).isEqualTo(SliceLabelScope.UNKNOWN);
    assertThat(out.labels()[W * H - 1]).isEqualTo(SliceLabelScope.UNKNOWN);
    assertThat(out.pixels()[0]).isZero();
  }

  @Test
  void aSwitchedOffFamilyNeverFiresAndStrengthZeroIsIdentityForGeometry() {
    LabelledSlice in = slice(SliceLabelScope.COMPLETE);
    SliceAugmentations none =
        SliceAugmentations.builder().optGeometry(false).optIntensity(false).build();
    assertThat(none.augment(in, new Random(1))).isEqualTo(in);

    for (SliceAugmentation a : geometric(0)) {
      LabelledSlice out = a.augment(in, new Random(2));
      assertThat(out.labels()).as("%s", a).containsExactly(in.labels());
    }
  }

  @Test
  void rejectsOutOfRangeParametersNamingTheLimit() {
    assertThatThrownBy(() -> new RotationAugmentation(90)).hasMessageContaining("0..45");
    assertThatThrownBy(() -> new CropAugmentation(0.1)).hasMessageContaining("0.3..1");
    assertThatThrownBy(() -> SliceAugmentations.builder().optStrength(5))
        .hasMessageContaining("0..3");
    assertThatThrownBy(
            () -> SliceAugmentations.builder().optProbability(AugmentationFamily.NOISE, 2))
        .hasMessageContaining("NOISE probability must be 0..1");
  }
}
