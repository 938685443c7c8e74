package io.spineflow.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spineflow.events.DicomReportOutput;
import io.spineflow.events.Segmentation;
import io.spineflow.events.StoredOutput;
import io.spineflow.imaging.dicom.SegmentationWriter;
import io.spineflow.platform.blob.BlobNotFoundException;
import io.spineflow.platform.blob.BlobRef;
import io.spineflow.platform.deadletter.Poison;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The pure part of delivery: one event, its targets, retries and what is dead-lettered. */
class DelivererTest {
  private static SegmentationWriter.Written seg;
  private static final String BLOB = "sha256:" + "a".repeat(64);

  private final List<Duration> waits = new ArrayList<>();
  private final DeliveryMetrics metrics = new DeliveryMetrics(new SimpleMeterRegistry());

  @BeforeAll
  static void write() throws Exception {
    seg = SegmentationFiles.of("deliverer");
  }

  /** A target failing {@code failures} times (retryably or not), then storing. */
  private static final class Scripted implements Target {
    final AtomicInteger calls = new AtomicInteger();
    final int failures;
    final boolean retryable;
    final List<byte[]> stored = new ArrayList<>();

    Scripted(int failures, boolean retryable) {
      this.failures = failures;
      this.retryable = retryable;
    }

    @Override
    public String setting() {
      return "delivery.stow.url";
    }

    @Override
    public String describe() {
      return "scripted";
    }

    @Override
    public String send(byte[] part10) throws DeliveryFailure {
      if (calls.incrementAndGet() <= failures) {
        throw new DeliveryFailure(retryable, "HTTP " + (retryable ? 503 : 403) + ": no", null);
      }
      stored.add(part10);
      return null;
    }
  }

  private Deliverer deliverer(List<Target> targets, int attempts, Function<BlobRef, byte[]> blobs) {
    return new Deliverer(
        targets,
        new RetryPolicy(attempts, Duration.ofMillis(100), Duration.ofMillis(300)),
        blobs,
        waits::add,
        metrics);
  }

  private static Segmentation event() {
    return SegmentationEvents.of("study", seg, BLOB);
  }

  /** {@link #event()} with a measurement report stored as {@code blob}. */
  private static Segmentation withReport(String blob, long size) {
    return Segmentation.newBuilder(event())
        .setMeasurementReport(
            DicomReportOutput.newBuilder()
                .setFile(
                    StoredOutput.newBuilder()
                        .setBlob(blob)
                        .setMediaType("application/dicom")
                        .setFileName("study-sr.dcm")
                        .setSizeBytes(size)
                        .build())
                .setSopInstanceUid("2.25.1")
                .setSeriesInstanceUid("2.25.2")
                .setMeasurements(3)
                .build())
        .build();
  }

  @Test
  void retryableFailuresAreRetriedWithDoublingCappedWaits() throws Exception {
    Scripted target = new Scripted(3, true);
    Deliverer.Outcome outcome = deliverer(List.of(target), 5, ref -> seg.part10()).deliver(event());

    assertThat(outcome.failures()).isEmpty();
    assertThat(outcome.delivered()).containsExactly("scripted");
    assertThat(target.stored).containsExactly(seg.part10());
    assertThat(waits)
        .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300));
    assertThat(metrics.details()).containsEntry("failedAttempts", 3L);
  }

  @Test
  void whatStillFailsAfterTheAttemptsIsOnePoisonNamingTheTargetAndTheLimit() throws Exception {
    Scripted failing = new Scripted(99, true);
    Scripted fine = new Scripted(0, true);
    Deliverer.Outcome outcome =
        deliverer(List.of(failing, fine), 3, ref -> seg.part10()).deliver(event());

    assertThat(failing.calls).hasValue(3);
    assertThat(outcome.delivered()).containsExactly("scripted");
    assertThat(outcome.failures()).hasSize(1);
    Poison p = outcome.failures().get(0);
    assertThat(p.reasonCode()).isEqualTo("DELIVERY_FAILED");
    assertThat(p.field()).isEqualTo("delivery.stow.url");
    assertThat(p.limit()).contains("delivery.attempts=3");
    assertThat(p.message()).contains("HTTP 503");
  }

  @Test
  void aRefusalIsDeadLetteredAtOnce() throws Exception {
    Scripted refusing = new Scripted(99, false);
    Deliverer.Outcome outcome =
        deliverer(List.of(refusing), 8, ref -> seg.part10()).deliver(event());

    assertThat(refusing.calls).hasValue(1);
    assertThat(waits).isEmpty();
    assertThat(outcome.failures())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.reasonCode()).isEqualTo("DELIVERY_REFUSED");
              assertThat(p.message()).contains("HTTP 403");
            });
  }

  @Test
  void theMeasurementReportGoesAfterTheSegmentationToEveryTarget() throws Exception {
    byte[] report = "a report's Part 10 bytes stand-in".getBytes(StandardCharsets.US_ASCII);
    String reportBlob = "sha256:" + "b".repeat(64);
    Segmentation withReport = withReport(reportBlob, report.length);
    Scripted first = new Scripted(0, true);
    Scripted second = new Scripted(0, true);
    Deliverer.Outcome outcome =
        deliverer(
                List.of(first, second),
                3,
                ref -> ref.toString().equals(reportBlob) ? report : seg.part10())
            .deliver(withReport);

    assertThat(outcome.failures()).isEmpty();
    assertThat(outcome.delivered()).hasSize(4);
    assertThat(first.stored).containsExactly(seg.part10(), report);
    assertThat(second.stored).containsExactly(seg.part10(), report);
  }

  @Test
  void aMissingReportBlobIsOnePoisonOnItsFieldAndTheSegmentationStillGoes() throws Exception {
    Segmentation withReport = withReport("sha256:" + "c".repeat(64), 1);
    Scripted target = new Scripted(0, true);
    Deliverer.Outcome outcome =
        deliverer(
                List.of(target),
                3,
                ref -> {
                  if (ref.toString().equals(BLOB)) {
                    return seg.part10();
                  }
                  throw new BlobNotFoundException(ref, "test store");
                })
            .deliver(withReport);

    assertThat(target.stored).containsExactly(seg.part10());
    assertThat(outcome.failures())
        .singleElement()
        .satisfies(p -> assertThat(p.field()).isEqualTo("measurementReport.file.blob"));
  }

  @Test
  void anEventWithoutSegmentationIsSkipped() throws Exception {
    Scripted target = new Scripted(0, true);
    Deliverer.Outcome outcome =
        deliverer(List.of(target), 3, ref -> seg.part10())
            .deliver(SegmentationEvents.withoutSegmentation("study"));

    assertThat(outcome.skipped()).isTrue();
    assertThat(target.calls).hasValue(0);
  }

  @Test
  void aMissingBlobIsOnePoisonOnTheBlobField() throws Exception {
    Scripted target = new Scripted(0, true);
    Deliverer.Outcome outcome =
        deliverer(
                List.of(target),
                3,
                ref -> {
                  throw new BlobNotFoundException(ref, "test store");
                })
            .deliver(event());

    assertThat(target.calls).hasValue(0);
    assertThat(outcome.failures())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.reasonCode()).isEqualTo("SEGMENTATION_UNREADABLE");
              assertThat(p.field()).isEqualTo("dicomSegmentation.file.blob");
            });
  }

  @Test
  void noTargetConfiguredMakesTheServiceIdle() {
    DeliveryConfig config = DeliveryConfig.from(io.spineflow.platform.Settings.of(Map.of()));
    assertThat(config.targets()).isEmpty();
    assertThat(config.retry().attempts()).isEqualTo(8);
  }
}
