package io.spineflow.preprocess;

import io.spineflow.events.DeadLetter;
import io.spineflow.events.Slice;
import io.spineflow.events.SliceSummary;
import io.spineflow.events.Study;
import io.spineflow.imaging.Image;
import io.spineflow.platform.volume.VolumeException;
import io.spineflow.platform.volume.VolumeMapper;
import io.spineflow.preprocess.slicing.SagittalSlice;
import io.spineflow.preprocess.slicing.SagittalSlicer;
import io.spineflow.preprocess.slicing.SlicedStudy;
import io.spineflow.preprocess.slicing.StudyRejectedException;
import io.spineflow.schemas.SliceKey;
import io.spineflow.schemas.Topic;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;

/**
 * The work of the topology for one input record, with no Kafka Streams in it: decode the {@code
 * Study}, resolve its volumes, slice it, and build the output events, or the dead letter saying why
 * not. The topology's processor and the benchmark both call it.
 */
public final class StudyPreprocessor {
  /** The record value is not a decodable {@code Study}. */
  public static final String UNDECODABLE_STUDY = "UNDECODABLE_STUDY";

  /** The study UID cannot key slices ({@code studyUid/sliceIndex}). */
  public static final String INVALID_STUDY_UID = "INVALID_STUDY_UID";

  /** An unexpected failure (a bug): the study is dead-lettered so the stream carries on. */
  public static final String PREPROCESS_FAILED = "PREPROCESS_FAILED";

  // What each VolumeMapper failure broke, for the dead letter's `limit`.
  private static final Map<String, String> VOLUME_LIMITS =
      Map.of(
          "UNSUPPORTED_ELEMENT_TYPE", "a MetaImage scalar type (MET_UCHAR ... MET_DOUBLE)",
          "INVALID_GEOMETRY", "size, spacing, origin and direction of one dimensionality",
          "INVALID_VOXELS", "inline voxels or a claim check",
          "TRUNCATED_DATA", "voxel count x element size bytes",
          "CLAIM_CHECK_INVALID",
              "a file inside the claim-check store matching sizeBytes and sha256");

  private final SagittalSlicer slicer;
  private final VolumeMapper volumes;
  private final String topic;
  private final Deserializer<Study> studies;
  private final Clock clock;

  /**
   * @param studies the topic studies are read from (its name for messages, its value serde)
   */
  public StudyPreprocessor(
      SagittalSlicer slicer, VolumeMapper volumes, Topic<String, Study> studies, Clock clock) {
    this.slicer = slicer;
    this.volumes = volumes;
    this.topic = studies.name();
    this.studies = studies.valueSerde().deserializer();
    this.clock = clock;
  }

  /** What became of one input record. */
  public sealed interface Outcome permits Sliced, Rejected {}

  /**
   * A sliced study: its slices keyed {@code studyUid/sliceIndex}, then its summary keyed by study
   * UID.
   */
  public record Sliced(
      Study study, SlicedStudy result, List<KeyValue<String, Slice>> slices, SliceSummary summary)
      implements Outcome {}

  /** A rejected record and its dead letter (keyed by the original key). */
  public record Rejected(String key, DeadLetter deadLetter) implements Outcome {}

  /** Decodes, slices and builds events; never throws for a bad record. */
  public Outcome process(String key, byte[] value, Headers headers, SourceLocation location) {
    Study study = null;
    try {
      study = decode(value, headers);
      return slice(study);
    } catch (StudyRejectedException e) {
      return new Rejected(key, deadLetter(study == null ? key : study.getStudyUid(), e, location));
    } catch (RuntimeException e) {
      return new Rejected(
          key, deadLetter(study == null ? key : study.getStudyUid(), unexpected(e), location));
    }
  }

  /**
   * Decodes a record value.
   *
   * @throws StudyRejectedException {@value #UNDECODABLE_STUDY}
   */
  public Study decode(byte[] value, Headers headers) {
    if (value == null) {
      throw new StudyRejectedException(
          UNDECODABLE_STUDY, "value", "a Study event", "the record has no value (a tombstone)");
    }
    try {
      return studies.deserialize(topic, headers, value);
    } catch (RuntimeException e) {
      throw new StudyRejectedException(
          UNDECODABLE_STUDY,
          "value",
          "a Study in Avro single-object encoding",
          "cannot decode the record as a Study: " + rootMessage(e));
    }
  }

  /**
   * Slices a decoded study into its events.
   *
   * @throws StudyRejectedException when the study cannot be sliced
   */
  public Sliced slice(Study study) {
    String uid = study.getStudyUid();
    try {
      new SliceKey(uid, 0);
    } catch (IllegalArgumentException e) {
      throw new StudyRejectedException(
          INVALID_STUDY_UID, "studyUid", "non-empty, without '/'", e.getMessage());
    }
    Image image = image(study);
    Image label = study.getLabel() == null ? null : volume(study.getLabel(), "label");
    SlicedStudy result =
        slicer.slice(
            image, label, label == null ? null : LabelContracts.coverage(study.getLabelCoverage()));
    Instant now = now();
    List<KeyValue<String, Slice>> slices = new ArrayList<>(result.slices().size());
    for (SagittalSlice s : result.slices()) {
      slices.add(
          KeyValue.pair(
              new SliceKey(uid, s.sliceIndex()).toString(),
              SliceEvents.slice(study, result, s, now)));
    }
    return new Sliced(study, result, slices, SliceEvents.summary(study, result, now));
  }

  /** The dead letter for {@code rejection} of the record at {@code location}. */
  public DeadLetter deadLetter(
      String studyUid, StudyRejectedException rejection, SourceLocation location) {
    return SliceEvents.deadLetter(studyUid, rejection, location, now());
  }

  /** A bug or an unforeseen input, as a rejection that names the exception. */
  public static StudyRejectedException unexpected(RuntimeException e) {
    return new StudyRejectedException(
        PREPROCESS_FAILED,
        null,
        null,
        "unexpected " + e.getClass().getSimpleName() + ": " + rootMessage(e));
  }

  private Image image(Study study) {
    return volume(study.getImage(), "image");
  }

  private Image volume(io.spineflow.events.Volume volume, String which) {
    try {
      return volumes.toImage(volume);
    } catch (VolumeException e) {
      throw new StudyRejectedException(
          e.reasonCode(),
          which + "." + e.field(),
          VOLUME_LIMITS.get(e.reasonCode()),
          which + " volume: " + e.getMessage());
    }
  }

  // Avro timestamps are millisecond precision: truncate so events equal their round trip.
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t + ")";
    return message;
  }
}
