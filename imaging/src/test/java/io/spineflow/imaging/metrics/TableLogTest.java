package io.spineflow.imaging.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TableLogTest {

  @Test
  void staysWithinTheErrorBoundOfMathLog() {
    SplittableRandom random = new SplittableRandom(3);
    double worst = 0;
    for (int i = 0; i < 1_000_000; i++) {
      // probabilities, spread over many binades, plus some values above 1
      float x =
          (float) (i % 10 == 0 ? 1 + 100 * random.nextDouble() : Math.pow(random.nextDouble(), 8));
      if (x > 0) {
        worst = Math.max(worst, Math.abs(TableLog.ln(x) - Math.log(x)));
      }
    }
    assertThat(worst).isLessThan(TableLog.MAX_ERROR);
  }

  @Test
  void isExactAtTableNodesAndHandlesTinyValues() {
    assertThat(TableLog.ln(1f)).isZero();
    assertThat(TableLog.ln(0.5f)).isCloseTo(Math.log(0.5), within(1e-15));
    assertThat(TableLog.ln(0.25f)).isCloseTo(Math.log(0.25), within(1e-15));
    assertThat(TableLog.ln(Float.MIN_VALUE)).isEqualTo(Math.log(Float.MIN_VALUE)); // subnormal
    assertThat(TableLog.ln(Float.MIN_NORMAL)).isCloseTo(Math.log(Float.MIN_NORMAL), within(1e-12));
  }
}
