package io.spineflow.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HeldBoundTest {

  @Test
  void twoBatchesHeldOneBatchPerPoll() {
    HeldBound bound = HeldBound.forBatch(8);
    assertThat(bound.maxHeld()).isEqualTo(16);
    assertThat(bound.maxPollRecords()).isEqualTo(8);
  }

  @Test
  void pausesWhenOneMorePollCouldPassTheBound() {
    HeldBound bound = HeldBound.forBatch(8);
    assertThat(bound.pause(0)).isFalse();
    assertThat(bound.pause(8)).as("8 + a poll of 8 = 16: still within").isFalse();
    assertThat(bound.pause(9)).isTrue();
    assertThat(bound.pause(16)).isTrue();
  }

  @Test
  void heldNeverPassesTheBoundWhateverEachPollReturns() {
    // The loop's arithmetic: poll only when not paused (at most maxPollRecords), then one batch.
    HeldBound bound = HeldBound.forBatch(4);
    java.util.Random random = new java.util.Random(1);
    int held = 0;
    for (int pass = 0; pass < 10_000; pass++) {
      if (!bound.pause(held)) {
        held += random.nextInt(bound.maxPollRecords() + 1);
      }
      assertThat(held).isLessThanOrEqualTo(bound.maxHeld());
      if (random.nextInt(3) == 0) { // a batch is due only now and then (waiting for it to fill)
        held -= Math.min(held, 4);
      }
    }
  }

  @Test
  void aPollLargerThanTheBoundIsRefused() {
    assertThatThrownBy(() -> new HeldBound(8, 9)).isInstanceOf(IllegalArgumentException.class);
  }
}
