package io.spineflow.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BatchPolicyTest {
  private final BatchPolicy policy = new BatchPolicy(8, Duration.ofMillis(20));
  private static final long MS = 1_000_000;

  @Test
  void runsWhenFullOrWhenTheOldestHasWaitedLongEnough() {
    assertThat(policy.shouldRun(0, 0, 100 * MS)).isFalse();
    assertThat(policy.shouldRun(3, 0, 5 * MS)).isFalse();
    assertThat(policy.shouldRun(8, 0, 0)).isTrue();
    assertThat(policy.shouldRun(1, 0, 20 * MS)).isTrue();
  }

  @Test
  void pollsNoLongerThanTheOldestSliceMayStillWait() {
    assertThat(policy.pollTimeout(2, 0, 15 * MS)).isEqualTo(Duration.ofMillis(5));
    assertThat(policy.pollTimeout(2, 0, 40 * MS)).isEqualTo(Duration.ZERO);
    assertThat(policy.pollTimeout(0, 0, 0)).isEqualTo(Duration.ofMillis(20));
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> new BatchPolicy(0, Duration.ZERO))
        .hasMessageContaining("maxBatchSize");
  }
}
