package io.spineflow.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.spineflow.events.AnnouncementKind;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.ModelLineage;
import io.spineflow.model.ModelAnnouncements;
import io.spineflow.model.ModelArchitectures;
import io.spineflow.model.ModelStore;
import io.spineflow.model.SegmentationModel;
import io.spineflow.model.StoredModel;
import io.spineflow.model.UNetConfig;
import io.spineflow.model.UNetVariant;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelAnnouncerTest {

  @BeforeAll
  static void engine() {
    TinyData.startEngine();
  }

  @Test
  void variantsAreParsedByTheirWireNames() {
    for (UNetVariant v : UNetVariant.values()) {
      String wire =
          ModelArchitectures.toEvent(UNetConfig.profile("cpu").withVariant(v)).getVariant();
      assertThat(TrainerConfig.variant(wire)).isEqualTo(v);
    }
    assertThat(TrainerConfig.variant("inception-unet")).isEqualTo(UNetVariant.INCEPTION_UNET);
    assertThatThrownBy(() -> TrainerConfig.variant("resnet"))
        .hasMessageContaining("modified-unet, plain-unet, inception-unet");
  }

  @Test
  void aStoredVersionIsReannouncedWithItsMetricsAndLineage(@TempDir Path dir) throws Exception {
    ModelStore store = new ModelStore(dir);
    ModelLineage lineage =
        ModelAnnouncements.lineage(
            List.of("s1", "s2"), List.of("v1"), Map.of(0, 12L, 2, 7L), 1, 42);
    Map<String, Double> metrics = Map.of("dice.vertebrae", 0.91, "dice.mean", 0.9, "miou", 0.85);
    StoredModel stored;
    try (SegmentationModel m = SegmentationModel.untrained(TinyData.TINY, Device.cpu(), 1)) {
      stored =
          store.save(
              "spine-unet",
              2,
              m.djlModel(),
              TinyData.TINY,
              ModelAnnouncements.metadata(metrics, lineage, Map.of("runId", "r1")));
    }
    Instant at = Instant.parse("2026-11-22T09:00:00Z");
    ModelAnnouncement promoted =
        ModelAnnouncements.announcement(stored, metrics, lineage, AnnouncementKind.PROMOTED, at);
    ModelAnnouncement rollback =
        ModelAnnouncements.fromStore(store, "spine-unet", 2, AnnouncementKind.ROLLBACK, at);

    assertThat(rollback.getKind()).isEqualTo(AnnouncementKind.ROLLBACK);
    assertThat(rollback.getVersion()).isEqualTo(2);
    assertThat(rollback.getSha256()).isEqualTo(stored.sha256());
    assertThat(Path.of(java.net.URI.create(rollback.getLocation()))).isEqualTo(stored.directory());
    assertThat(rollback.getArchitecture()).isEqualTo(promoted.getArchitecture());
    assertThat(ModelArchitectures.fromEvent(rollback.getArchitecture())).isEqualTo(TinyData.TINY);
    assertThat(rollback.getValidationMetrics()).isEqualTo(promoted.getValidationMetrics());
    assertThat(rollback.getLineage()).isEqualTo(promoted.getLineage());
    assertThat(rollback.getLineage().getSliceOffsets()).isEqualTo(Map.of("0", 12L, "2", 7L));
    assertThat(rollback.getLineage().getParentVersion()).isEqualTo(1);
    // What inference does with it: load by location, checked against the announced SHA-256.
    try (SegmentationModel loaded =
        ModelStore.load(
            Path.of(java.net.URI.create(rollback.getLocation())),
            rollback.getSha256(),
            TinyData.TINY,
            Device.cpu())) {
      assertThat(loaded.config()).isEqualTo(TinyData.TINY);
    }
  }
}
