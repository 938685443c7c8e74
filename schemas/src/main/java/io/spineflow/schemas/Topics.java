package io.spineflow.schemas;

import io.spineflow.events.AuditEvent;
import io.spineflow.events.DeadLetter;
import io.spineflow.events.Mask;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.Quality;
import io.spineflow.events.RetrainRequest;
import io.spineflow.events.Segmentation;
import io.spineflow.events.Slice;
import io.spineflow.events.SliceSummary;
import io.spineflow.events.Study;
import io.spineflow.events.TrainingProgress;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The typed registry of every spineflow topic (design notes, "Services and topics"). Names share
 * one configurable prefix; partitions of the data topics are configurable, the control topics
 * ({@code models}, {@code retrain}, {@code training}) have one partition so their order is total.
 */
public final class Topics {
  /** Raw uploads may be whole SPIDER studies (15×900×900 uint16 ≈ 24 MiB). */
  public static final int UPLOAD_MAX_BYTES = 32 << 20;

  /**
   * Studies above this travel by claim-check (ingest stores the voxels, the event carries a URI):
   * Kafka stays fast with messages of a few MiB, and phantom or T1/T2 studies fit inline.
   */
  public static final int STUDY_INLINE_MAX_BYTES = 8 << 20;

  /** Headroom over the inline limit for the event's own fields (geometry, label volume). */
  public static final int STUDY_MAX_BYTES = 2 * STUDY_INLINE_MAX_BYTES + (1 << 20);

  /** A 512×512 float slice with its label is ≈1.3 MiB: the paper profile needs this much. */
  public static final int SLICE_MAX_BYTES = 2 << 20;

  private final String prefix;
  private final Topic<String, byte[]> studiesUpload;
  private final Topic<String, Study> studies;
  private final Topic<String, Slice> slices;
  private final Topic<String, SliceSummary> slicesSummary;
  private final Topic<String, Mask> masks;
  private final Topic<String, Quality> quality;
  private final Topic<String, Segmentation> segmentations;
  private final Topic<String, ModelAnnouncement> models;
  private final Topic<String, RetrainRequest> retrain;
  private final Topic<String, TrainingProgress> training;
  private final Topic<String, DeadLetter> deadletter;
  private final Topic<String, AuditEvent> audit;

  /**
   * @param prefix prepended to every name ("" for the design's plain names)
   * @param partitions partitions of the data topics (studies, slices, masks, ...)
   */
  public Topics(String prefix, int partitions) {
    this.prefix = prefix;
    Serde<String> key = Serdes.String();
    long week = 7 * TopicSettings.DAY_MS;
    long month = 30 * TopicSettings.DAY_MS;
    // zstd: voxels compress ~2-3x and the broker keeps them compressed.
    studiesUpload =
        new Topic<>(
            name("studies.upload"),
            key,
            Serdes.ByteArray(),
            new TopicSettings(partitions, false, week, UPLOAD_MAX_BYTES, "producer"));
    studies =
        topic(
            "studies",
            Study.class,
            new TopicSettings(partitions, false, week, STUDY_MAX_BYTES, "zstd"));
    // The dashboard's gallery merges a slice, its mask and its quality record by key into one
    // task's stores: the three topics must have the same partition count (checked at start).
    String slicesName = name("slices");
    String masksName = name("masks");
    String qualityName = name("quality");
    // Slices are the training set's source of truth (the trainer rebuilds from them): kept forever.
    slices =
        topic(
            "slices",
            Slice.class,
            new TopicSettings(partitions, false, -1, SLICE_MAX_BYTES, "zstd")
                .withCoPartitioned(masksName, qualityName));
    slicesSummary =
        topic(
            "slices.summary",
            SliceSummary.class,
            new TopicSettings(partitions, false, -1, 1 << 20, "producer"));
    masks =
        topic(
            "masks",
            Mask.class,
            new TopicSettings(partitions, false, month, 1 << 20, "zstd")
                .withCoPartitioned(slicesName, qualityName));
    quality =
        topic(
            "quality",
            Quality.class,
            new TopicSettings(partitions, false, -1, 1 << 20, "producer")
                .withCoPartitioned(slicesName, masksName));
    // One result per study revision, kept forever: it is the record of what was delivered (its
    // outputs live in the blob store, so the event itself stays small).
    segmentations =
        topic(
            "segmentations",
            Segmentation.class,
            new TopicSettings(partitions, false, -1, 1 << 20, "producer"));
    // Compacted: the latest announcement per model name is the live model. Exactly one partition,
    // like training: the dashboard's drift monitor shares their task with a one-partition
    // repartition topic and reads the live model from that task's store.
    models =
        topic(
            "models",
            ModelAnnouncement.class,
            new TopicSettings(1, true, -1, 1 << 20, "producer").withExactPartitions());
    retrain =
        topic(
            "retrain",
            RetrainRequest.class,
            new TopicSettings(1, false, month, 1 << 20, "producer"));
    training =
        topic(
            "training",
            TrainingProgress.class,
            new TopicSettings(1, false, month, 1 << 20, "producer").withExactPartitions());
    deadletter =
        topic(
            "deadletter",
            DeadLetter.class,
            new TopicSettings(partitions, false, -1, 1 << 20, "producer"));
    // Append-only and kept forever: an audit trail is never compacted or aged out. One partition:
    // its order is the order things happened in, and it carries a few records per study.
    audit =
        topic(
            "audit",
            AuditEvent.class,
            new TopicSettings(1, false, -1, 1 << 20, "producer").withExactPartitions());
  }

  /** The design's plain names, 3 partitions per data topic. */
  public static Topics defaults() {
    return new Topics("", 3);
  }

  private <V extends org.apache.avro.specific.SpecificRecord> Topic<String, V> topic(
      String base, Class<V> type, TopicSettings settings) {
    return new Topic<>(name(base), Serdes.String(), AvroSerde.of(type), settings);
  }

  private String name(String base) {
    return prefix + base;
  }

  public String prefix() {
    return prefix;
  }

  public Topic<String, byte[]> studiesUpload() {
    return studiesUpload;
  }

  public Topic<String, Study> studies() {
    return studies;
  }

  public Topic<String, Slice> slices() {
    return slices;
  }

  public Topic<String, SliceSummary> slicesSummary() {
    return slicesSummary;
  }

  public Topic<String, Mask> masks() {
    return masks;
  }

  public Topic<String, Quality> quality() {
    return quality;
  }

  /** Study-level results: label volume, DICOM Segmentation, levels ({@link Segmentation}). */
  public Topic<String, Segmentation> segmentations() {
    return segmentations;
  }

  public Topic<String, ModelAnnouncement> models() {
    return models;
  }

  public Topic<String, RetrainRequest> retrain() {
    return retrain;
  }

  public Topic<String, TrainingProgress> training() {
    return training;
  }

  public Topic<String, DeadLetter> deadletter() {
    return deadletter;
  }

  /** Who did what: uploads, retrain requests, promotions, rollbacks ({@link AuditEvent}). */
  public Topic<String, AuditEvent> audit() {
    return audit;
  }

  /** Every topic, for provisioning and for tools that list them. */
  public List<Topic<String, ?>> all() {
    return List.of(
        studiesUpload,
        studies,
        slices,
        slicesSummary,
        masks,
        quality,
        segmentations,
        models,
        retrain,
        training,
        deadletter,
        audit);
  }
}
