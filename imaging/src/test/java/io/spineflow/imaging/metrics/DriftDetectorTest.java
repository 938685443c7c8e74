package io.spineflow.imaging.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DriftDetectorTest {
  private static final String SIGNAL = "meanEntropyNats";

  @Test
  void staysQuietOnSameDistributionData() {
    DriftDetector detector = new DriftDetector();
    Random random = new Random(11);
    List<DriftVerdict> checkpoints = new ArrayList<>();

    for (int i = 1; i <= 5000; i++) {
      detector.observe(SIGNAL, 0.3 + 0.05 * random.nextGaussian());
      if (i % 100 == 0) {
        checkpoints.add(detector.verdict(SIGNAL));
      }
    }

    assertThat(checkpoints.get(0).status()).isEqualTo(DriftVerdict.Status.INSUFFICIENT_DATA);
    assertThat(checkpoints.get(2).status())
        .as("200 learnt + 100 in the window: still below the window minimum")
        .isEqualTo(DriftVerdict.Status.INSUFFICIENT_DATA);
    assertThat(checkpoints.subList(3, checkpoints.size()))
        .allSatisfy(v -> assertThat(v.status()).isEqualTo(DriftVerdict.Status.STABLE));
    assertThat(detector.anyDrifted()).isFalse();
  }

  @Test
  void firesOnAShiftedDistribution() {
    DriftDetector detector = new DriftDetector();
    Random random = new Random(12);
    for (int i = 0; i < 500; i++) { // 200 learnt, 300 in the window
      detector.observe(SIGNAL, 0.3 + 0.05 * random.nextGaussian());
    }
    assertThat(detector.verdict(SIGNAL).status()).isEqualTo(DriftVerdict.Status.STABLE);

    for (int i = 0; i < 300; i++) { // the shift: entropy up by one standard deviation
      detector.observe(SIGNAL, 0.35 + 0.05 * random.nextGaussian());
    }

    DriftVerdict verdict = detector.verdict(SIGNAL);
    assertThat(verdict.drifted()).isTrue();
    assertThat(verdict.psiExceeded()).isTrue();
    assertThat(verdict.ksRejected()).isTrue();
    assertThat(verdict.referenceSize()).isEqualTo(200);
    assertThat(verdict.windowSize()).isEqualTo(300);
    assertThat(detector.anyDrifted()).isTrue();
  }

  @Test
  void detectsAPartialShiftOnceEnoughOfTheWindowHasMoved() {
    DriftDetector detector = new DriftDetector();
    Random random = new Random(13);
    detector.setReference(SIGNAL, DriftStatisticsTest.normal(1000, 0, 1, 14));
    for (int i = 0; i < 300; i++) {
      detector.observe(SIGNAL, random.nextGaussian());
    }
    assertThat(detector.verdict(SIGNAL).drifted()).isFalse();

    int shiftedSeen = 0;
    while (!detector.verdict(SIGNAL).drifted()) {
      detector.observe(SIGNAL, 2 + random.nextGaussian());
      shiftedSeen++;
    }

    assertThat(shiftedSeen).isBetween(10, 150); // a fraction of the 300-value window suffices
  }

  /**
   * A small mean shift (0.4 SD): PSI stays below 0.25 (≈ δ² = 0.16 plus noise) but the KS test,
   * more sensitive to location shifts, rejects. Either test alone is enough for drift.
   */
  @Test
  void eitherTestAloneSignalsDrift() {
    DriftDetector detector = new DriftDetector();
    detector.setReference(SIGNAL, DriftStatisticsTest.normal(1000, 0, 1, 19));
    for (double v : DriftStatisticsTest.normal(300, 0.4, 1, 20)) {
      detector.observe(SIGNAL, v);
    }

    DriftVerdict verdict = detector.verdict(SIGNAL);

    assertThat(verdict.psiExceeded()).isFalse();
    assertThat(verdict.ksRejected()).isTrue();
    assertThat(verdict.drifted()).isTrue();
  }

  @Test
  void rebaselineAcceptsTheNewDistribution() {
    DriftDetector detector = new DriftDetector();
    Random random = new Random(15);
    detector.setReference(SIGNAL, DriftStatisticsTest.normal(400, 0, 1, 16));
    for (int i = 0; i < 300; i++) {
      detector.observe(SIGNAL, 3 + random.nextGaussian());
    }
    assertThat(detector.verdict(SIGNAL).drifted()).isTrue();

    detector.rebaseline(SIGNAL);
    DriftVerdict afterRebaseline = detector.verdict(SIGNAL);
    for (int i = 0; i < 300; i++) {
      detector.observe(SIGNAL, 3 + random.nextGaussian());
    }

    assertThat(afterRebaseline.status()).isEqualTo(DriftVerdict.Status.INSUFFICIENT_DATA);
    assertThat(afterRebaseline.referenceSize()).isEqualTo(300);
    assertThat(detector.verdict(SIGNAL).status()).isEqualTo(DriftVerdict.Status.STABLE);
  }

  @Test
  void needsMinimumSizesBeforeAnyVerdict() {
    DriftDetector.Config config = new DriftDetector.Config(50, 30, 40, 0.25, 0.001, 10, 1e-4);
    DriftDetector detector = new DriftDetector(config);
    detector.setReference(SIGNAL, new double[] {1, 2, 3}); // far too small
    for (int i = 0; i < 50; i++) {
      detector.observe(SIGNAL, 100 + i);
    }

    DriftVerdict verdict = detector.verdict(SIGNAL);

    assertThat(verdict.status()).isEqualTo(DriftVerdict.Status.INSUFFICIENT_DATA);
    assertThat(verdict.drifted()).isFalse();
    assertThat(verdict.psi()).isNaN();
    assertThat(detector.verdict("never seen").windowSize()).isZero();
  }

  @Test
  void ignoresUndefinedValuesAndKeepsSignalsApart() {
    DriftDetector detector = new DriftDetector();
    Random random = new Random(17);
    for (int i = 0; i < 500; i++) {
      detector.observeAll(
          Map.of("a", random.nextGaussian(), "b", 10 + random.nextGaussian(), "c", Double.NaN));
    }

    Map<String, DriftVerdict> verdicts = detector.verdicts();

    assertThat(verdicts.keySet()).containsExactly("a", "b"); // "c" never had a defined value
    assertThat(verdicts.get("a").status()).isEqualTo(DriftVerdict.Status.STABLE);
    assertThat(verdicts.get("b").status()).isEqualTo(DriftVerdict.Status.STABLE);
    assertThat(detector.verdict("c").status()).isEqualTo(DriftVerdict.Status.INSUFFICIENT_DATA);
  }

  @Test
  void isDeterministic() {
    DriftDetector first = new DriftDetector();
    DriftDetector second = new DriftDetector();
    double[] values = DriftStatisticsTest.normal(700, 0, 1, 18);
    for (int i = 0; i < values.length; i++) {
      double v = i < 450 ? values[i] : values[i] + 0.4;
      first.observe(SIGNAL, v);
      second.observe(SIGNAL, v);
    }

    assertThat(first.verdicts()).isEqualTo(second.verdicts());
  }

  @Test
  void configIsValidated() {
    assertThatThrownBy(() -> new DriftDetector.Config(10, 20, 10, 0.25, 0.001, 10, 1e-4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("minWindowSize");
    assertThatThrownBy(() -> new DriftDetector.Config(10, 10, 10, 0.25, 1.5, 10, 1e-4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ksAlpha");
    assertThat(DriftDetector.Config.DEFAULTS.psiThreshold()).isEqualTo(0.25);
  }
}
