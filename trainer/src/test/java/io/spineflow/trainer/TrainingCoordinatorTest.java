package io.spineflow.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingCoordinatorTest {
  private static final Instant T0 = Instant.parse("2026-11-22T08:00:00Z");

  @Test
  void pendingRequestsTriggerARunWhateverTheData() {
    assertThat(TrainingCoordinator.triggers(List.of("r1", "r2"), 4, 4, 10, null, T0, T0))
        .containsExactly("retrain requests [r1, r2]");
  }

  @Test
  void everyNNewStudiesTriggerARun() {
    assertThat(TrainingCoordinator.triggers(List.of(), 19, 10, 10, null, T0, T0)).isEmpty();
    assertThat(TrainingCoordinator.triggers(List.of(), 20, 10, 10, null, T0, T0))
        .containsExactly("10 new labelled studies");
    // On a first start every study is new: the first model is trained once N studies are in.
    assertThat(TrainingCoordinator.triggers(List.of(), 10, 0, 10, null, T0, T0))
        .containsExactly("10 new labelled studies");
    // 0 disables the trigger.
    assertThat(TrainingCoordinator.triggers(List.of(), 500, 0, 0, null, T0, T0)).isEmpty();
  }

  @Test
  void theScheduleFiresOnlyWhenDueAndWithNewData() {
    Duration day = Duration.ofHours(24);
    Instant later = T0.plus(day);
    assertThat(TrainingCoordinator.triggers(List.of(), 12, 10, 0, day, T0, later.minusSeconds(1)))
        .isEmpty();
    assertThat(TrainingCoordinator.triggers(List.of(), 12, 10, 0, day, T0, later))
        .containsExactly("schedule (2 new labelled studies in PT24H)");
    assertThat(TrainingCoordinator.triggers(List.of(), 10, 10, 0, day, T0, later.plus(day)))
        .as("nothing new: no scheduled run")
        .isEmpty();
  }

  @Test
  void triggersCoalesceIntoOneRun() {
    assertThat(
            TrainingCoordinator.triggers(
                List.of("r1"), 30, 10, 10, Duration.ofHours(1), T0, T0.plusSeconds(7200)))
        .hasSize(3);
  }
}
