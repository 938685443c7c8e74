package io.spineflow.trainer;

import static io.spineflow.trainer.PromotionGateTest.scores;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.imaging.metrics.SpineClass;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QualityFloorTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final SortedSet<String> REFERENCE = new TreeSet<>(List.of("b", "a"));

  @TempDir Path dir;

  @Test
  void theFirstFloorPinsItsStudiesAndOnlyRises() {
    QualityFloor f = QualityFloor.first(scores(0.9, 0.8, Double.NaN), REFERENCE, 2, T0);
    assertThat(f.meanDice()).isCloseTo(0.85, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(f.classDice()).containsOnlyKeys("vertebrae", "spinal_canal");
    assertThat(f.dice(SpineClass.DISCS)).isNaN();
    assertThat(f.referenceStudies()).containsExactly("a", "b");
    assertThat(f.setByVersion()).isEqualTo(2);

    // Worse everywhere: nothing changes, not even who raised it last.
    QualityFloor same = f.raise(scores(0.7, 0.7, 0.7), 3, T0.plusSeconds(1));
    assertThat(same.meanDice()).isEqualTo(f.meanDice());
    assertThat(same.dice(SpineClass.VERTEBRAE)).isEqualTo(0.9);
    assertThat(same.dice(SpineClass.DISCS)).as("a class newly defined is taken").isEqualTo(0.7);
    // Better on the canal only: that class rises, the rest stays, the pinned studies stay.
    QualityFloor raised = same.raise(scores(0.85, 0.95, 0.6), 4, T0.plusSeconds(2));
    assertThat(raised.dice(SpineClass.SPINAL_CANAL)).isEqualTo(0.95);
    assertThat(raised.dice(SpineClass.VERTEBRAE)).isEqualTo(0.9);
    assertThat(raised.dice(SpineClass.DISCS)).isEqualTo(0.7);
    assertThat(raised.meanDice()).isEqualTo(f.meanDice());
    assertThat(raised.raisedByVersion()).isEqualTo(4);
    assertThat(raised.setByVersion()).isEqualTo(2);
    assertThat(raised.referenceStudies()).isEqualTo(f.referenceStudies());
  }

  @Test
  void roundTripsThroughItsFileNextToTheModelVersions() throws IOException {
    Path file = QualityFloor.file(dir, "spine-unet");
    assertThat(file).isEqualTo(dir.resolve("spine-unet").resolve("quality-floor.json"));
    assertThat(QualityFloor.read(file)).isEmpty();
    QualityFloor f =
        QualityFloor.first(scores(0.9, 0.8, 0.7), REFERENCE, 1, T0)
            .raise(scores(0.95, 0.5, 0.5), 2, T0.plusSeconds(60));
    f.write(file);
    assertThat(QualityFloor.read(file)).contains(f);
    assertThat(Files.readString(file))
        .contains("\"referenceStudies\"")
        .contains("\"setByVersion\"");
  }

  @Test
  void aDamagedFloorIsAnErrorNotAMissingFloor() throws IOException {
    Path file = QualityFloor.file(dir, "spine-unet");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{\"meanDice\": 7}");
    assertThatThrownBy(() -> QualityFloor.read(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not valid");
    Files.writeString(file, "not json");
    assertThatThrownBy(() -> QualityFloor.read(file)).isInstanceOf(IOException.class);
  }

  @Test
  void needsAReferenceStudy() {
    assertThatThrownBy(() -> QualityFloor.first(scores(0.9, 0.9, 0.9), new TreeSet<>(), 1, T0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
