package io.spineflow.delivery;

import io.spineflow.events.DicomReportOutput;
import io.spineflow.events.DicomSegmentationOutput;
import io.spineflow.events.Segmentation;
import io.spineflow.events.StoredOutput;
import io.spineflow.platform.blob.BlobCorruptException;
import io.spineflow.platform.blob.BlobNotFoundException;
import io.spineflow.platform.blob.BlobRef;
import io.spineflow.platform.blob.BlobStoreException;
import io.spineflow.platform.deadletter.Poison;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What delivery does with one {@code segmentations} event, without Kafka: fetch the Segmentation's
 * blob and send it to every target, each with its own retries and exponential backoff; what still
 * fails becomes one {@link Poison} per target (reason, the target's setting as the field, the
 * attempts as the limit). The caller dead-letters those and commits.
 */
final class Deliverer {
  private static final Logger LOG = LoggerFactory.getLogger(Deliverer.class);
  static final String BLOB_FIELD = "dicomSegmentation.file.blob";
  static final String REPORT_BLOB_FIELD = "measurementReport.file.blob";

  /** Waits between attempts; interrupted (or stopping) ends the delivery uncommitted. */
  interface Sleeper {
    void sleep(Duration delay) throws InterruptedException;
  }

  /** A deliverer per loop, waiting with the loop's sleeper. */
  interface Factory {
    Deliverer create(Sleeper sleeper);
  }

  /** What became of one event. */
  record Outcome(boolean skipped, List<String> delivered, List<Poison> failures) {}

  private final List<Target> targets;
  private final RetryPolicy retry;
  private final Function<BlobRef, byte[]> blobs;
  private final Sleeper sleeper;
  private final DeliveryMetrics metrics;

  Deliverer(
      List<Target> targets,
      RetryPolicy retry,
      Function<BlobRef, byte[]> blobs,
      Sleeper sleeper,
      DeliveryMetrics metrics) {
    this.targets = List.copyOf(targets);
    this.retry = retry;
    this.blobs = blobs;
    this.sleeper = sleeper;
    this.metrics = metrics;
  }

  List<Target> targets() {
    return targets;
  }

  RetryPolicy retry() {
    return retry;
  }

  /**
   * A DICOM object of a result: the Segmentation, then the measurement report (SR).
   *
   * @param field the event field naming its blob, for a dead letter
   */
  record DicomObject(String kind, StoredOutput file, String sopInstanceUid, String field) {}

  /** The objects {@code event} has to deliver, the Segmentation first. */
  static List<DicomObject> objects(Segmentation event) {
    List<DicomObject> objects = new ArrayList<>();
    DicomSegmentationOutput seg = event.getDicomSegmentation();
    if (seg != null) {
      objects.add(
          new DicomObject("Segmentation", seg.getFile(), seg.getSopInstanceUid(), BLOB_FIELD));
    }
    DicomReportOutput report = event.getMeasurementReport();
    if (report != null) {
      objects.add(
          new DicomObject(
              "measurement report",
              report.getFile(),
              report.getSopInstanceUid(),
              REPORT_BLOB_FIELD));
    }
    return objects;
  }

  /**
   * Delivers {@code event}'s Segmentation and measurement report to every target: each object that
   * a target did not store after the retries is one dead letter.
   *
   * @throws InterruptedException when the service stops meanwhile (nothing to commit)
   */
  Outcome deliver(Segmentation event) throws InterruptedException {
    List<DicomObject> objects = objects(event);
    if (objects.isEmpty() || targets.isEmpty()) {
      return new Outcome(true, List.of(), List.of());
    }
    List<String> delivered = new ArrayList<>();
    List<Poison> failures = new ArrayList<>();
    Map<DicomObject, byte[]> fetched = new LinkedHashMap<>();
    for (DicomObject object : objects) {
      try {
        fetched.put(object, fetch(object));
      } catch (PoisonFound p) {
        failures.add(p.poison);
      }
    }
    for (Target target : targets) {
      for (Map.Entry<DicomObject, byte[]> object : fetched.entrySet()) {
        Poison failure = send(target, object.getValue(), object.getKey());
        if (failure == null) {
          delivered.add(target.describe());
        } else {
          failures.add(failure);
        }
      }
    }
    return new Outcome(false, delivered, failures);
  }

  /** One target's attempts; null once delivered, else its dead letter's poison. */
  private Poison send(Target target, byte[] part10, DicomObject object)
      throws InterruptedException {
    String sopInstanceUid = object.sopInstanceUid();
    for (int attempt = 1; ; attempt++) {
      try {
        String remark = target.send(part10);
        LOG.info(
            "delivered {} {} to {} (attempt {}){}",
            object.kind(),
            sopInstanceUid,
            target.describe(),
            attempt,
            remark == null ? "" : ": " + remark);
        return null;
      } catch (DeliveryFailure f) {
        metrics.failedAttempt();
        if (!f.retryable()) {
          LOG.warn(
              "{} refused {} {}: {}",
              target.describe(),
              object.kind(),
              sopInstanceUid,
              f.getMessage());
          return new Poison(
              DeliveryReason.DELIVERY_REFUSED.name(),
              target.setting(),
              "a receiver that takes it: this refusal is not retried (attempt "
                  + attempt
                  + " of "
                  + retry.describe()
                  + ")",
              target.describe() + ": " + f.getMessage());
        }
        if (attempt >= retry.attempts()) {
          LOG.warn(
              "{} failed {} times for {} {}: {}",
              target.describe(),
              attempt,
              object.kind(),
              sopInstanceUid,
              f.getMessage());
          return new Poison(
              DeliveryReason.DELIVERY_FAILED.name(),
              target.setting(),
              "delivered within " + retry.describe(),
              target.describe() + ": " + f.getMessage());
        }
        Duration delay = retry.delayAfter(attempt);
        LOG.info(
            "{} attempt {} failed ({}); next in {} ms",
            target.describe(),
            attempt,
            f.getMessage(),
            delay.toMillis());
        sleeper.sleep(delay);
      }
    }
  }

  private static final class PoisonFound extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Poison poison;

    PoisonFound(Poison poison) {
      super(poison.reasonCode(), null, false, false);
      this.poison = poison;
    }
  }

  /** The blob's bytes; a store that is down is retried like a target. */
  private byte[] fetch(DicomObject object) throws PoisonFound, InterruptedException {
    BlobRef ref;
    try {
      ref = BlobRef.parse(object.file().getBlob());
    } catch (RuntimeException e) {
      throw new PoisonFound(
          Poison.invalid(object.field(), "sha256:<64 hex digits>", "not a blob reference: " + e));
    }
    for (int attempt = 1; ; attempt++) {
      try {
        return blobs.apply(ref);
      } catch (BlobNotFoundException | BlobCorruptException e) {
        throw new PoisonFound(
            new Poison(
                DeliveryReason.SEGMENTATION_UNREADABLE.name(),
                object.field(),
                "a blob in the store with its digest",
                ref + ": " + e.getMessage()));
      } catch (BlobStoreException e) {
        if (attempt >= retry.attempts()) {
          throw new PoisonFound(
              new Poison(
                  DeliveryReason.SEGMENTATION_UNREADABLE.name(),
                  object.field(),
                  "read within " + retry.describe(),
                  ref + ": " + e.getMessage()));
        }
        sleeper.sleep(retry.delayAfter(attempt));
      }
    }
  }
}
