package io.spineflow.delivery;

import io.spineflow.events.DicomSegmentationOutput;
import io.spineflow.events.Segmentation;
import io.spineflow.platform.blob.BlobCorruptException;
import io.spineflow.platform.blob.BlobNotFoundException;
import io.spineflow.platform.blob.BlobRef;
import io.spineflow.platform.blob.BlobStoreException;
import io.spineflow.platform.deadletter.Poison;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
   * Delivers {@code event}'s Segmentation to every target.
   *
   * @throws InterruptedException when the service stops meanwhile (nothing to commit)
   */
  Outcome deliver(Segmentation event) throws InterruptedException {
    DicomSegmentationOutput seg = event.getDicomSegmentation();
    if (seg == null || targets.isEmpty()) {
      return new Outcome(true, List.of(), List.of());
    }
    byte[] part10;
    try {
      part10 = fetch(seg);
    } catch (PoisonFound p) {
      return new Outcome(false, List.of(), List.of(p.poison));
    }
    List<String> delivered = new ArrayList<>();
    List<Poison> failures = new ArrayList<>();
    for (Target target : targets) {
      Poison failure = send(target, part10, seg.getSopInstanceUid());
      if (failure == null) {
        delivered.add(target.describe());
      } else {
        failures.add(failure);
      }
    }
    return new Outcome(false, delivered, failures);
  }

  /** One target's attempts; null once delivered, else its dead letter's poison. */
  private Poison send(Target target, byte[] part10, String sopInstanceUid)
      throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        String remark = target.send(part10);
        LOG.info(
            "delivered Segmentation {} to {} (attempt {}){}",
            sopInstanceUid,
            target.describe(),
            attempt,
            remark == null ? "" : ": " + remark);
        return null;
      } catch (DeliveryFailure f) {
        metrics.failedAttempt();
        if (!f.retryable()) {
          LOG.warn(
              "{} refused Segmentation {}: {}", target.describe(), sopInstanceUid, f.getMessage());
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
              "{} failed {} times for Segmentation {}: {}",
              target.describe(),
              attempt,
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
  private byte[] fetch(DicomSegmentationOutput seg) throws PoisonFound, InterruptedException {
    BlobRef ref;
    try {
      ref = BlobRef.parse(seg.getFile().getBlob());
    } catch (RuntimeException e) {
      throw new PoisonFound(
          Poison.invalid(BLOB_FIELD, "sha256:<64 hex digits>", "not a blob reference: " + e));
    }
    for (int attempt = 1; ; attempt++) {
      try {
        return blobs.apply(ref);
      } catch (BlobNotFoundException | BlobCorruptException e) {
        throw new PoisonFound(
            new Poison(
                DeliveryReason.SEGMENTATION_UNREADABLE.name(),
                BLOB_FIELD,
                "a blob in the store with its digest",
                ref + ": " + e.getMessage()));
      } catch (BlobStoreException e) {
        if (attempt >= retry.attempts()) {
          throw new PoisonFound(
              new Poison(
                  DeliveryReason.SEGMENTATION_UNREADABLE.name(),
                  BLOB_FIELD,
                  "read within " + retry.describe(),
                  ref + ": " + e.getMessage()));
        }
        sleeper.sleep(retry.delayAfter(attempt));
      }
    }
  }
}
