package io.spineflow.cli.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.cli.erasure.ErasurePlan.Keying;
import io.spineflow.cli.erasure.ErasurePlan.Place;
import io.spineflow.platform.Settings;
import io.spineflow.schemas.Topics;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErasurePlanTest {
  private static final String UID = "1.2.840.113619.2.55";
  private static final Path DATA = Path.of("/srv/spineflow").toAbsolutePath();

  private static ErasurePlan plan(Map<String, String> extra) {
    Map<String, String> values = new java.util.HashMap<>(Map.of("data.dir", DATA.toString()));
    values.putAll(extra);
    return ErasurePlan.of(UID, new Topics("p.", 3), Settings.of(values));
  }

  @Test
  void everyDeletePolicyTopicKeyedByStudyIsRetainedAndTheModelKeyedOnesAreUnrelated() {
    ErasurePlan plan = plan(Map.of());
    assertThat(plan.retained())
        .extracting(Place::topic)
        .containsExactlyInAnyOrder(
            "p.studies.upload",
            "p.studies",
            "p.slices",
            "p.slices.summary",
            "p.masks",
            "p.quality",
            "p.segmentations",
            "p.deadletter");
    assertThat(plan.retained())
        .filteredOn(p -> p.keying() == Keying.SLICE)
        .extracting(Place::topic)
        .containsExactlyInAnyOrder("p.slices", "p.masks", "p.quality");
    assertThat(plan.unrelated()).containsExactlyInAnyOrder("p.models", "p.retrain", "p.training");
    // The audit trail is neither retained data nor tombstoned: the report says what it keeps.
    assertThat(plan.auditTopic()).isEqualTo("p.audit");
    assertThat(plan.retained()).extracting(Place::topic).doesNotContain("p.audit");
  }

  @Test
  void noRegistryTopicIsCompactedAndKeyedByStudySoOnlyStoreChangelogsGetTombstones() {
    assertThat(plan(Map.of()).tombstoned())
        .extracting(Place::topic, Place::keying)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "p.spineflow-ingest-seen-studies-changelog", Keying.STUDY),
            org.assertj.core.groups.Tuple.tuple(
                "p.spineflow-ingest-pending-parts-changelog", Keying.STUDY),
            org.assertj.core.groups.Tuple.tuple(
                "p.spineflow-ingest-pending-deadlines-changelog", Keying.STUDY),
            org.assertj.core.groups.Tuple.tuple(
                "p.spineflow-preprocess-preprocessed-studies-changelog", Keying.STUDY),
            org.assertj.core.groups.Tuple.tuple(
                "p.spineflow-dashboard-gallery-pending-changelog", Keying.SLICE),
            org.assertj.core.groups.Tuple.tuple(
                "p.spineflow-dashboard-gallery-index-changelog", Keying.SLICE),
            org.assertj.core.groups.Tuple.tuple(
                "p.spineflow-dashboard-gallery-entries-changelog", Keying.SLICE),
            org.assertj.core.groups.Tuple.tuple(
                "p.spineflow-dashboard-study-results-changelog", Keying.STUDY),
            org.assertj.core.groups.Tuple.tuple(
                "p.spineflow-results-results-revisions-changelog", Keying.UNDER_STUDY),
            org.assertj.core.groups.Tuple.tuple(
                "p.spineflow-results-results-parts-changelog", Keying.UNDER_STUDY),
            org.assertj.core.groups.Tuple.tuple(
                "p.spineflow-results-results-quality-changelog", Keying.UNDER_STUDY));
  }

  @Test
  void pathsFollowTheSettings() {
    ErasurePlan defaults = plan(Map.of());
    assertThat(defaults.claimDirs()).containsExactly(DATA.resolve("claims"));
    assertThat(defaults.qualityFloor())
        .isEqualTo(DATA.resolve("models/spine-unet/quality-floor.json"));
    assertThat(defaults.trainerCacheDir().getParent())
        .isEqualTo(DATA.resolve("trainer/cache/studies"));
    assertThat(defaults.trainerCacheDir().getFileName().toString()).hasSize(32).doesNotContain(UID);

    ErasurePlan moved =
        plan(
            Map.of(
                "ingest.claims.dir", "/mnt/claims",
                "preprocess.claim.check.dir", "/mnt/claims2",
                "results.output.dir", "/mnt/results",
                "model.store", "/mnt/models",
                "model.name", "other",
                "preprocess.application.id", "pre"));
    assertThat(moved.claimDirs())
        .containsExactlyInAnyOrder(
            Path.of("/mnt/claims").toAbsolutePath(),
            Path.of("/mnt/claims2").toAbsolutePath(),
            Path.of("/mnt/results").toAbsolutePath());
    assertThat(moved.qualityFloor())
        .isEqualTo(Path.of("/mnt/models").toAbsolutePath().resolve("other/quality-floor.json"));
    assertThat(moved.tombstoned())
        .extracting(Place::topic)
        .contains("p.pre-preprocessed-studies-changelog");
  }

  @Test
  void keysMatchTheStudyExactlyAndItsSlicesOnly() {
    ErasurePlan plan = plan(Map.of());
    assertThat(plan.matches(Keying.STUDY, UID)).isTrue();
    assertThat(plan.matches(Keying.STUDY, UID + "1")).isFalse();
    assertThat(plan.matches(Keying.STUDY, UID + "/3")).isFalse();
    assertThat(plan.matches(Keying.SLICE, UID + "/3")).isTrue();
    assertThat(plan.matches(Keying.SLICE, UID + "/12")).isTrue();
    assertThat(plan.matches(Keying.SLICE, UID + "1/3")).isFalse(); // a UID sharing the prefix
    assertThat(plan.matches(Keying.SLICE, UID)).isFalse();
    assertThat(plan.matches(Keying.SLICE, null)).isFalse();
    assertThat(plan.matches(Keying.MODEL, UID)).isFalse();
    // results' stores: the study, its revision, part and slice
    assertThat(plan.matches(Keying.UNDER_STUDY, UID + "/0001765000000000/M/000003")).isTrue();
    assertThat(plan.matches(Keying.UNDER_STUDY, UID + "1/0001765000000000")).isFalse();
    assertThat(plan.matches(Keying.UNDER_STUDY, UID)).isFalse();
  }

  @Test
  void aUidThatCouldNotHaveBeenUploadedIsRefused() {
    assertThatThrownBy(() -> ErasurePlan.of("a/b", Topics.defaults(), Settings.of(Map.of())))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ErasurePlan.of(" ", Topics.defaults(), Settings.of(Map.of())))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
