package io.spineflow.ingest;

import io.spineflow.events.DeadLetter;
import io.spineflow.imaging.dicom.DicomInstanceSink;
import io.spineflow.platform.LogSafe;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingest's {@link DicomInstanceSink}: where every DICOM door (the C-STORE SCP, STOW-RS, the watched
 * folder) hands an instance. A good instance is written to {@code studies.upload} (key: its Series
 * Instance UID, {@code spineflow.format=dicom}) and acknowledged before {@link #store} returns; the
 * topology assembles its series after the quiet period. A bad one is kept in the quarantine (or
 * left in the folder's {@code failed/}) and dead-lettered once, with its reason. Thread-safe.
 */
public final class DicomIntake implements DicomIntakeSink {
  private static final Logger LOG = LoggerFactory.getLogger(DicomIntake.class);

  private final DicomInstances checker;
  private final UploadPublisher publisher;
  private final Quarantine quarantine;
  private final IngestMetrics metrics;

  DicomIntake(
      DicomInstances checker,
      UploadPublisher publisher,
      Quarantine quarantine,
      IngestMetrics metrics) {
    this.checker = checker;
    this.publisher = publisher;
    this.quarantine = quarantine;
    this.metrics = metrics;
  }

  @Override
  public Outcome store(ReceivedInstance instance) {
    return store(instance, null);
  }

  @Override
  public Outcome store(ReceivedInstance instance, Path kept) {
    String door = instance.door().name().toLowerCase(Locale.ROOT);
    byte[] bytes = instance.part10();
    metrics.receivedBytes(door, bytes.length);
    DicomInstances.Checked checked;
    try {
      checked = checker.checkAny(bytes);
    } catch (IngestRejection e) {
      return refuse(instance, door, e.rejection(), kept);
    }
    // A Segmentation goes under the key of the series it labels, so it meets that series'
    // instances.
    String series = checked.seriesKey();
    try {
      publisher.publishDicom(series, bytes, sourceName(instance));
    } catch (PublishException e) {
      LOG.warn(
          "series {}: {} instance not published: {}",
          LogSafe.id(series),
          door,
          LogSafe.text(e.getMessage()));
      return Outcome.unavailable("the instance could not be handed to Kafka; retry later");
    }
    LOG.debug(
        "series {}: {} {} {} handed to studies.upload",
        LogSafe.id(series),
        door,
        checked.isSegmentation() ? "segmentation" : "instance",
        LogSafe.id(checked.sopInstanceUid()));
    return Outcome.accepted();
  }

  /**
   * Refuses an instance a decorator could not process (de-identification): kept and dead-lettered
   * like any rejected instance, but without reading its Series Instance UID, which must not reach a
   * dead letter.
   */
  Outcome refuseUnread(ReceivedInstance instance, Rejection rejection, Path kept) {
    String door = instance.door().name().toLowerCase(Locale.ROOT);
    metrics.receivedBytes(door, instance.part10().length);
    return refuse(instance, door, rejection, kept, null);
  }

  private Outcome refuse(ReceivedInstance instance, String door, Rejection rejection, Path kept) {
    return refuse(instance, door, rejection, kept, seriesOf(instance.part10()));
  }

  private Outcome refuse(
      ReceivedInstance instance, String door, Rejection rejection, Path kept, String series) {
    Path where;
    try {
      where =
          kept != null ? kept : quarantine.keep(series, Map.of("instance.dcm", instance.part10()));
      if (kept == null) {
        where = where.resolve("instance.dcm");
      }
    } catch (IOException e) {
      LOG.warn("{} instance rejected but not kept: {}", door, LogSafe.text(e.toString()));
      return Outcome.unavailable("the instance could not be kept for its rejection; retry later");
    }
    DeadLetter letter =
        IngestEvents.deadLetter(
            series, rejection, Origin.ofPath(where), System.currentTimeMillis());
    try {
      publisher.publishDeadLetter(series, letter);
    } catch (PublishException e) {
      LOG.warn(
          "{} instance rejected {} but not dead-lettered: {}",
          door,
          rejection.reasonCode(),
          LogSafe.text(e.getMessage()));
      return Outcome.unavailable("the rejection could not be recorded; retry later");
    }
    metrics.rejected(door, rejection.reasonCode());
    LOG.info(
        "series {}: {} instance rejected {} (field {}), kept at {}",
        LogSafe.id(series),
        door,
        rejection.reasonCode(),
        LogSafe.text(rejection.field()),
        LogSafe.id(where.getParent().getFileName().toString()));
    return Outcome.refused(rejection.reasonCode(), rejection.field(), rejection.message());
  }

  /**
   * The series key of a (possibly bad) instance when it can be read, else null: its Series Instance
   * UID, or for a Segmentation the series it labels.
   */
  private String seriesOf(byte[] bytes) {
    try {
      return DicomInstances.seriesKeyOf(checker.reader().readFile(bytes));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static String sourceName(ReceivedInstance instance) {
    return switch (instance.door()) {
      case FOLDER, PUSH -> {
        String name = Path.of(instance.sender()).getFileName().toString();
        yield name.length() <= UploadHeaders.MAX_SOURCE_NAME ? name : null;
      }
      default -> null;
    };
  }
}
