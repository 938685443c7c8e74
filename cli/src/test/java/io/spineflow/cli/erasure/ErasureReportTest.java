package io.spineflow.cli.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.cli.erasure.ErasurePlan.Keying;
import io.spineflow.cli.erasure.ErasureReport.Floor;
import io.spineflow.cli.erasure.ErasureReport.FloorOutcome;
import io.spineflow.cli.erasure.ErasureReport.Retained;
import io.spineflow.cli.erasure.ErasureReport.Tombstoned;
import io.spineflow.platform.LogSafe;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErasureReportTest {
  private static final String UID = "1.2.840.DOE-JANE.4711";
  private static final Instant AT = Instant.parse("2026-12-05T16:00:00Z");

  private static ErasureReport report(List<String> warnings) {
    return new ErasureReport(
        LogSafe.id(UID),
        2,
        0,
        14,
        new Floor(FloorOutcome.UNPINNED, 3),
        List.of(
            new Tombstoned("spineflow-ingest-seen-studies-changelog", "ingest store", true, 1),
            new Tombstoned("spineflow-dashboard-gallery-index-changelog", "dashboard", false, 0),
            new Tombstoned("spineflow-dashboard-gallery-entries-changelog", "dashboard", true, 5)),
        1,
        List.of(
            new Retained("studies", Keying.STUDY, Duration.ofDays(7), "delete"),
            new Retained("masks", Keying.SLICE, Duration.ofDays(30), "delete"),
            new Retained("slices", Keying.SLICE, null, "delete")),
        warnings,
        "audit-1",
        AT);
  }

  @Test
  void eachRetainedTopicSaysWhenTheStudyIsGoneForGood() {
    ErasureReport r = report(List.of());
    assertThat(r.retained().get(0).goneBy(AT)).isEqualTo(Instant.parse("2026-12-12T16:00:00Z"));
    assertThat(r.retained().get(2).goneBy(AT)).isNull();
    String text = r.toText();
    assertThat(text)
        .contains("studies")
        .contains("retention 7d: gone by 2026-12-12T16:00:00Z")
        .contains("retention 30d: gone by 2027-01-04T16:00:00Z")
        .contains("retention forever: never aged out")
        .contains("keyed by studyUID/slice");
  }

  @Test
  void removedPlacesAreCountedAndTheUidNeverAppears() {
    ErasureReport r = report(List.of("ingest is running: restart it"));
    assertThat(r.tombstoneCount()).isEqualTo(6);
    String text = r.toText();
    assertThat(text)
        .contains(LogSafe.id(UID))
        .contains("2 deleted")
        .contains("14 files deleted")
        .contains("3 other reference studies")
        .contains("1 tombstones")
        .contains("5 tombstones")
        .contains("absent (dashboard never ran here)")
        .contains("auditId audit-1")
        .contains("Still to do:")
        .contains("ingest is running: restart it")
        .doesNotContain(UID)
        .doesNotContain("DOE-JANE");
  }

  @Test
  void durationsReadAsTheyAreConfigured() {
    assertThat(ErasureReport.human(Duration.ofDays(7))).isEqualTo("7d");
    assertThat(ErasureReport.human(Duration.ofHours(36))).isEqualTo("36h");
    assertThat(ErasureReport.human(Duration.ofMillis(1500))).isEqualTo("1500ms");
  }
}
