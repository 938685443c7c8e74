package io.spineflow.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HotSwapSlotTest {
  private final List<String> closed = new ArrayList<>();
  private final HotSwapSlot<String> slot = new HotSwapSlot<>(closed::add);

  @Test
  void nothingIsLiveBeforeTheFirstSwap() {
    assertThat(slot.acquire()).isEmpty();
  }

  @Test
  void aSwapServesTheNextBatchAndClosesTheOldModelOnlyAfterItsLastBatch() {
    slot.swap("v1");
    HotSwapSlot.Lease<String> running = slot.acquire().orElseThrow();

    slot.swap("v2");

    assertThat(slot.acquire().orElseThrow().value()).isEqualTo("v2");
    assertThat(running.value()).isEqualTo("v1");
    assertThat(closed).as("v1 is still in use by a running batch").isEmpty();
    running.close();
    assertThat(closed).containsExactly("v1");
    running.close();
    assertThat(closed).as("closing a lease twice releases once").containsExactly("v1");
  }

  @Test
  void anUnusedModelIsClosedAtOnceWhenReplaced() {
    slot.swap("v1");
    slot.swap("v2");
    slot.swap("v3");
    assertThat(closed).containsExactly("v1", "v2");
    slot.close();
    assertThat(closed).containsExactly("v1", "v2", "v3");
  }
}
