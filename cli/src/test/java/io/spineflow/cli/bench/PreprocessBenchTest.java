package io.spineflow.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The benchmark runs and reports consistent numbers (its value is measured by the lead's run). */
class PreprocessBenchTest {
  @Test
  void measuresBothSidesOnTheSameStudies() {
    PreprocessBench.BenchResult r = PreprocessBench.run(3, 5);
    assertThat(r.studies()).isEqualTo(3);
    assertThat(r.sourceSlices()).isGreaterThan(r.emittedSlices()).isPositive();
    assertThat(r.emittedSlices()).isPositive();
    assertThat(r.decodeSlicesPerSecond()).isPositive();
    assertThat(r.decodeUncompressedSlicesPerSecond()).isPositive();
    assertThat(r.preprocessSlicesPerSecond()).isPositive();
    assertThat(r.ratio())
        .isCloseTo(r.preprocessSlicesPerSecond() / r.decodeSlicesPerSecond(), within(1e-9));
  }
}
