package io.spineflow.trainer;

import static io.spineflow.trainer.PromotionGateTest.scores;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.events.AnnouncementKind;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.ModelQualityFloor;
import io.spineflow.imaging.metrics.SpineClass;
import io.spineflow.model.ModelAnnouncements;
import io.spineflow.model.ModelArchitectures;
import io.spineflow.model.ModelStore;
import io.spineflow.schemas.Topic;
import io.spineflow.schemas.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.kafka.common.header.internals.RecordHeaders;
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

  /** An announcement of version {@code version} carrying {@code floor} (none when null). */
  static ModelAnnouncement announcement(int version, QualityFloor floor) {
    return ModelAnnouncement.newBuilder()
        .setModelName("spine-unet")
        .setVersion(version)
        .setLocation("blob:spine-unet/v" + version)
        .setSha256("ab".repeat(32))
        .setArchitecture(ModelArchitectures.toEvent(TinyData.TINY))
        .setValidationMetrics(Map.of("dice.mean", 0.8))
        .setLineage(ModelAnnouncements.lineage(List.of("t"), List.of("a"), Map.of(), null, 1))
        .setKind(AnnouncementKind.PROMOTED)
        .setAnnouncedAt(T0)
        .setQualityFloor(floor == null ? null : floor.toEvent())
        .build();
  }

  @Test
  void travelsInTheAnnouncementThroughTheRealSerde() {
    // Nanoseconds in the clock: an announcement keeps milliseconds, and so does the floor.
    QualityFloor f =
        QualityFloor.first(scores(0.9, 0.8, Double.NaN), REFERENCE, 2, T0.plusNanos(1_234_567))
            .raise(scores(0.95, 0.85, 0.6), 3, T0.plusSeconds(5).plusNanos(999_999));
    assertThat(f.updatedAt()).isEqualTo(T0.plusSeconds(5));
    Topic<String, ModelAnnouncement> models = Topics.defaults().models();
    RecordHeaders headers = new RecordHeaders();
    byte[] bytes =
        models.valueSerde().serializer().serialize(models.name(), headers, announcement(3, f));
    ModelAnnouncement read =
        models.valueSerde().deserializer().deserialize(models.name(), headers, bytes);

    assertThat(QualityFloor.of(read)).contains(f);
    assertThat(read.getQualityFloor().getReferenceStudies()).hasSize(2);
    assertThat(read.getQualityFloor().getClassDice())
        .containsOnlyKeys("vertebrae", "spinal_canal", "discs");
    assertThat(QualityFloor.of(announcement(3, null))).isEmpty();
  }

  @Test
  void theLiveAnnouncementsFloorWinsAndTheFileIsOnlyTheLegacyFallback() throws IOException {
    Path file = QualityFloor.file(dir, "spine-unet");
    QualityFloor inFile = QualityFloor.first(scores(0.5, 0.5, 0.5), REFERENCE, 1, T0);
    QualityFloor announced = QualityFloor.first(scores(0.9, 0.9, 0.9), REFERENCE, 4, T0);

    assertThat(QualityFloor.current(Optional.empty(), file)).isEmpty();
    inFile.write(file);
    // No live model, or one announced by an older writer (no floor field): the legacy file.
    assertThat(QualityFloor.current(Optional.empty(), file)).contains(inFile);
    assertThat(QualityFloor.current(Optional.of(announcement(3, null)), file)).contains(inFile);
    // The announcement carries a floor: the file (stale, or another host's) is not read.
    assertThat(QualityFloor.current(Optional.of(announcement(4, announced)), file))
        .contains(announced);
    Files.writeString(file, "not json");
    assertThat(QualityFloor.current(Optional.of(announcement(4, announced)), file))
        .contains(announced);
  }

  @Test
  void aDamagedFloorInTheAnnouncementIsAnErrorNotAMissingFloor() {
    ModelAnnouncement a =
        announcement(4, QualityFloor.first(scores(0.9, 0.9, 0.9), REFERENCE, 4, T0));
    a.getQualityFloor().setMeanDice(7.0);
    assertThatThrownBy(() -> QualityFloor.current(Optional.of(a), QualityFloor.file(dir, "x")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("live announcement v4")
        .hasMessageContaining("not valid");
  }

  @Test
  void aRollbackCarriesTheFloorForward() throws IOException {
    ModelStore store = new ModelStore(dir);
    QualityFloor announced = QualityFloor.first(scores(0.9, 0.9, 0.9), REFERENCE, 4, T0);
    ModelAnnouncement live = announcement(4, announced);
    // From the live announcement, as it is (a copy: the rollback's record is its own).
    ModelQualityFloor carried = ModelAnnouncer.carriedFloor(store, "spine-unet", Optional.of(live));
    assertThat(carried).isEqualTo(live.getQualityFloor()).isNotSameAs(live.getQualityFloor());
    // Neither the live announcement nor a file has one: none.
    assertThat(ModelAnnouncer.carriedFloor(store, "spine-unet", Optional.empty())).isNull();
    // An older writer's live announcement: the legacy file's floor.
    QualityFloor inFile = QualityFloor.first(scores(0.5, 0.5, 0.5), REFERENCE, 1, T0);
    inFile.write(QualityFloor.file(dir, "spine-unet"));
    assertThat(ModelAnnouncer.carriedFloor(store, "spine-unet", Optional.of(announcement(3, null))))
        .isEqualTo(inFile.toEvent());
    // A damaged file stops the rollback rather than let the floor fall.
    Files.writeString(QualityFloor.file(dir, "spine-unet"), "not json");
    assertThatThrownBy(() -> ModelAnnouncer.carriedFloor(store, "spine-unet", Optional.empty()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the floor must not fall");
  }

  @Test
  void aRollbackCarriesTheHighestVersionSoTheNextPromotionIsNumberedPastIt() {
    ModelStore empty = new ModelStore(dir);
    ModelAnnouncement v5 = announcement(5, null);
    // An older writer: the live version is the highest known.
    assertThat(ModelAnnouncements.highestVersion(v5)).isEqualTo(5);
    assertThat(ModelAnnouncer.carriedHighest(empty, "spine-unet", 3, Optional.of(v5))).isEqualTo(5);
    // Rolled back to v3 after v7 was announced: v7 is carried through a second rollback.
    ModelAnnouncement v3 = announcement(3, null);
    v3.setHighestVersion(7);
    assertThat(ModelAnnouncements.highestVersion(v3)).isEqualTo(7);
    assertThat(ModelAnnouncer.carriedHighest(empty, "spine-unet", 2, Optional.of(v3))).isEqualTo(7);
    assertThat(ModelAnnouncer.carriedHighest(empty, "spine-unet", 2, Optional.empty()))
        .isEqualTo(2);
  }

  @Test
  void needsAReferenceStudy() {
    assertThatThrownBy(() -> QualityFloor.first(scores(0.9, 0.9, 0.9), new TreeSet<>(), 1, T0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
