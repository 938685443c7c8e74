package io.spineflow.imaging.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LabelFreeSignalsTest {

  @Test
  void uniformProbabilitiesHaveMaximalEntropy() {
    int pixels = 6 * 4;
    float[] p = new float[4 * pixels];
    Arrays.fill(p, 0.25f);
    byte[] predicted = new byte[pixels];
    predicted[0] = 2;

    LabelFreeSignals s = LabelFreeSignals.compute(p, predicted, 6, 4);

    assertThat(s.meanMaxProbability()).isCloseTo(0.25, within(1e-7));
    assertThat(s.meanEntropyNats()).isCloseTo(Math.log(4), within(1e-6));
    assertThat(LabelFreeSignals.MAX_ENTROPY_NATS).isCloseTo(1.3862943611, within(1e-9));
    assertThat(s.of(SpineClass.SPINAL_CANAL).meanEntropyNats())
        .isCloseTo(Math.log(4), within(1e-6));
    assertThat(s.of(SpineClass.SPINAL_CANAL).areaFraction()).isEqualTo(1.0 / pixels);
  }

  @Test
  void oneHotProbabilitiesHaveZeroEntropy() {
    Masks mask = SpineSlices.spine(128, 128, 0);
    float[] p = oneHot(mask.pixels);

    LabelFreeSignals s = LabelFreeSignals.compute(p, mask.pixels, 128, 128);

    assertThat(s.meanMaxProbability()).isEqualTo(1.0);
    assertThat(s.meanEntropyNats()).isZero();
    assertThat(s.classes()).allSatisfy(c -> assertThat(c.meanEntropyNats()).isZero());
    assertThat(s.classes().stream().mapToDouble(ClassSignals::areaFraction).sum())
        .isCloseTo(1.0, within(1e-12));
  }

  /**
   * Two pixels: (0.5, 0.5, 0, 0) predicted background, entropy ln 2; (0.1, 0.7, 0.1, 0.1) predicted
   * vertebrae, entropy −(0.7 ln 0.7 + 3 · 0.1 ln 0.1) = 0.9404479886.
   */
  @Test
  void handComputedEntropiesPerPredictedClass() {
    float[] p = {0.5f, 0.1f, 0.5f, 0.7f, 0f, 0.1f, 0f, 0.1f}; // C × H × W with H = 1, W = 2
    byte[] predicted = {0, 1};

    LabelFreeSignals s = LabelFreeSignals.compute(p, predicted, 2, 1);

    double vertebraEntropy = -(0.7 * Math.log(0.7) + 3 * 0.1 * Math.log(0.1));
    assertThat(vertebraEntropy).isCloseTo(0.9404479886, within(1e-9));
    assertThat(s.of(SpineClass.BACKGROUND).meanEntropyNats()).isCloseTo(Math.log(2), within(1e-6));
    assertThat(s.of(SpineClass.VERTEBRAE).meanEntropyNats())
        .isCloseTo(vertebraEntropy, within(1e-6));
    assertThat(s.of(SpineClass.VERTEBRAE).meanMaxProbability()).isCloseTo(0.7, within(1e-6));
    assertThat(s.meanMaxProbability()).isCloseTo(0.6, within(1e-6));
    assertThat(s.meanEntropyNats()).isCloseTo((Math.log(2) + vertebraEntropy) / 2, within(1e-6));
    assertThat(s.of(SpineClass.DISCS).meanEntropyNats()).isNaN();
    assertThat(s.of(SpineClass.DISCS).areaFraction()).isZero();
  }

  @Test
  void signalMapNamesEverySignalAndLeavesOutUndefinedOnes() {
    float[] p = {0.5f, 0.1f, 0.5f, 0.7f, 0f, 0.1f, 0f, 0.1f};
    byte[] predicted = {0, 1};

    Map<String, Double> signals = LabelFreeSignals.compute(p, predicted, 2, 1).asSignals();

    assertThat(signals)
        .containsKeys(
            "meanMaxProbability",
            "meanEntropyNats",
            "plausibilityScore",
            "area.background",
            "area.vertebrae",
            "area.spinal_canal",
            "area.discs",
            "entropy.background",
            "entropy.vertebrae",
            "maxProbability.vertebrae")
        .doesNotContainKeys("entropy.discs", "entropy.spinal_canal", "maxProbability.discs");
    assertThat(signals.values()).noneMatch(v -> v.isNaN());
  }

  @Test
  void carriesThePlausibilityOfThePrediction() {
    Masks mask = SpineSlices.spine(128, 128, 0);

    LabelFreeSignals s = LabelFreeSignals.compute(oneHot(mask.pixels), mask.pixels, 128, 128);

    assertThat(s.plausibility().score()).isEqualTo(1.0);
  }

  @Test
  void rejectsMismatchedSizes() {
    assertThatThrownBy(() -> LabelFreeSignals.compute(new float[3 * 4], new byte[4], 2, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("C × H × W");
    assertThatThrownBy(() -> LabelFreeSignals.compute(new float[16], new byte[5], 2, 2))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Not an assertion: how long the label-free signals take on a 128 × 128 slice. */
  @Test
  void timingSanityPrint() {
    Masks mask = SpineSlices.spine(128, 128, 1);
    float[] p = softened(mask.pixels, 11);
    double sink = 0;
    for (int i = 0; i < 2000; i++) {
      sink += LabelFreeSignals.compute(p, mask.pixels, 128, 128).meanEntropyNats();
    }
    int runs = 2000;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpuStart = threads.getCurrentThreadCpuTime();
    for (int i = 0; i < runs; i++) {
      sink += LabelFreeSignals.compute(p, mask.pixels, 128, 128).meanEntropyNats();
    }
    double cpuMicros = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e3 / runs;
    System.out.printf(
        Locale.ROOT,
        "LabelFreeSignals: %.1f µs CPU per 128×128 slice (%s)%n",
        cpuMicros,
        sink > 0 ? "ok" : "");
  }

  static float[] oneHot(byte[] classes) {
    float[] p = new float[4 * classes.length];
    for (int i = 0; i < classes.length; i++) {
      p[classes[i] * classes.length + i] = 1;
    }
    return p;
  }

  /** A softmax-like distribution peaked at the given class, with seeded random confidence. */
  static float[] softened(byte[] classes, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] p = new float[4 * classes.length];
    for (int i = 0; i < classes.length; i++) {
      double peak = 0.55 + 0.45 * random.nextDouble();
      for (int c = 0; c < 4; c++) {
        p[c * classes.length + i] = (float) (c == classes[i] ? peak : (1 - peak) / 3);
      }
    }
    return p;
  }
}
