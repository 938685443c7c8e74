package io.spineflow.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.events.RetrainOrigin;
import io.spineflow.events.RetrainRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetrainRequestsTest {

  static RetrainRequest request(String id) {
    return RetrainRequest.newBuilder()
        .setRequestId(id)
        .setModelName("spine-unet")
        .setRequestedBy("test")
        .setOrigin(RetrainOrigin.CLI)
        .setReason("because")
        .setRequestedAt(Instant.parse("2026-11-22T08:00:00Z"))
        .build();
  }

  @Test
  void pendingRequestsHoldTheCommittableOffsetBack() {
    RetrainRequests r = new RetrainRequests();
    assertThat(r.committableOffsets()).isEmpty();
    assertThat(r.offer(0, 0, null)).isFalse(); // another model's request: skipped
    assertThat(r.committableOffsets()).isEqualTo(Map.of(0, 1L));
    assertThat(r.offer(0, 1, request("a"))).isTrue();
    assertThat(r.offer(0, 2, request("b"))).isTrue();
    assertThat(r.committableOffsets()).isEqualTo(Map.of(0, 1L));
    assertThat(r.pendingIds()).containsExactly("a", "b");
    // A run honours a; b arrived during it and stays pending, so the commit stops before b.
    assertThat(r.committableOffsetsAfter(List.of("a"))).isEqualTo(Map.of(0, 2L));
    assertThat(r.committableOffsets()).isEqualTo(Map.of(0, 1L)); // nothing changed yet
    r.honour(List.of("a"));
    assertThat(r.pendingIds()).containsExactly("b");
    assertThat(r.committableOffsets()).isEqualTo(Map.of(0, 2L));
    r.honour(List.of("b"));
    assertThat(r.hasPending()).isFalse();
    assertThat(r.committableOffsets()).isEqualTo(Map.of(0, 3L));
  }

  @Test
  void partitionsWithNothingPendingCommitTheConsumersPosition() {
    RetrainRequests r = new RetrainRequests();
    r.offer(0, 4, null); // not ours; a transaction marker follows at 5
    r.offer(1, 0, request("a"));
    // Partition 0: the position (6) is past the marker, so the idle group's lag is 0; partition 1
    // keeps its pending request; partition 2 was never read from but is at 3.
    assertThat(r.committableOffsetsAfter(List.of(), Map.of(0, 6L, 1, 2L, 2, 3L)))
        .isEqualTo(Map.of(0, 6L, 1, 0L, 2, 3L));
    assertThat(r.committableOffsetsAfter(List.of("a"), Map.of(0, 6L, 1, 2L)))
        .as("once a is honoured by the run, past its marker too")
        .isEqualTo(Map.of(0, 6L, 1, 2L));
  }

  @Test
  void anIdIsHonouredOnceEvenIfSentAgain() {
    RetrainRequests r = new RetrainRequests();
    assertThat(r.offer(0, 0, request("a"))).isTrue();
    assertThat(r.offer(0, 1, request("a"))).isFalse(); // a retry while pending
    r.honour(List.of("a"));
    assertThat(r.offer(0, 2, request("a"))).isFalse(); // a retry after it was honoured
    assertThat(r.hasPending()).isFalse();
    assertThat(r.committableOffsets()).isEqualTo(Map.of(0, 3L));
  }

  @Test
  void honouredIdsSurviveARestart(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("honoured.txt");
    RetrainRequests before = new RetrainRequests();
    before.offer(0, 0, request("a"));
    before.offer(0, 1, request("b"));
    before.honour(List.of("a", "b"));
    before.save(file);

    RetrainRequests after = new RetrainRequests();
    after.load(file);
    assertThat(after.isHonoured("a")).isTrue();
    // Read again after a crash between publishing and committing: not honoured twice.
    assertThat(after.offer(0, 0, request("a"))).isFalse();
    assertThat(after.offer(0, 2, request("c"))).isTrue();
  }

  @Test
  void partitionsAreTrackedSeparately() {
    RetrainRequests r = new RetrainRequests();
    r.offer(0, 5, request("a"));
    r.offer(1, 7, request("b"));
    r.offer(1, 8, null);
    assertThat(r.committableOffsets()).isEqualTo(Map.of(0, 5L, 1, 7L));
    r.honour(List.of("b"));
    assertThat(r.committableOffsets()).isEqualTo(Map.of(0, 5L, 1, 9L));
  }

  @Test
  void onlyTheMostRecentIdsAreRemembered() {
    RetrainRequests r = new RetrainRequests();
    for (int i = 0; i < RetrainRequests.REMEMBERED + 5; i++) {
      r.offer(0, i, request("r" + i));
      r.honour(List.of("r" + i));
    }
    assertThat(r.honoured()).hasSize(RetrainRequests.REMEMBERED);
    assertThat(r.isHonoured("r0")).isFalse();
    assertThat(r.isHonoured("r" + (RetrainRequests.REMEMBERED + 4))).isTrue();
  }
}
